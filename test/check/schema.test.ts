import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { strictRoots, validateStrict, type SchemaIssue } from "../../generators/check/schema/validate.js";
import {
  COMMITTED_TREE,
  committedTreeText,
  deriveStrictFieldTree,
  loadStrictFieldTree,
  strictTreeStats,
} from "../../generators/check/schema/strict-fields.js";
import { registryEntries } from "../../generators/check/schema/registry.js";
import { REPO } from "../helpers/repo.js";

type Json = Record<string, unknown>;

function deployment(): Json {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "tenant-a",
      labels: { "app.kubernetes.io/name": "web", "ai-fleet.example/anything-goes": "yes" },
      annotations: { "example.com/note": "hello" },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "web" } },
        spec: {
          serviceAccountName: "web",
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "web",
              image: "ghcr.io/example/web:1.2.3",
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: "http", containerPort: 8080 }],
              env: [{ name: "MODE", value: "prod" }],
              resources: { requests: { cpu: 2, memory: "8Gi" }, limits: { cpu: "2500m", memory: "8Gi", "nvidia.com/gpu": 1 } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: 8080 } },
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

/** Deep-set a value at a path of keys/indices in a fresh copy. */
function withValue(obj: Json, path: readonly (string | number)[], value: unknown): Json {
  const copy = structuredClone(obj);
  let cur: unknown = copy;
  for (const key of path.slice(0, -1)) cur = (cur as Record<string | number, unknown>)[key];
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
  return copy;
}

function paths(issues: readonly SchemaIssue[]): string[] {
  return issues.map((i) => i.path);
}

describe("validateStrict", () => {
  describe("with a core Deployment", () => {
    it("accepts a complete, valid Deployment", () => {
      expect(validateStrict(deployment())).toEqual([]);
    });

    it("reports an unknown field deep in the pod template with its full path and a suggestion", () => {
      const obj = withValue(deployment(), ["spec", "template", "spec", "containers", 0, "imagePullPolicyy"], "Always");
      expect(validateStrict(obj)).toEqual([
        {
          path: "/spec/template/spec/containers/0/imagePullPolicyy",
          message: 'unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
        },
      ]);
    });

    it("reports every unknown field, not only the first", () => {
      let obj = withValue(deployment(), ["spec", "bogus"], 1);
      obj = withValue(obj, ["spec", "template", "spec", "volumes", 0, "emptyDir", "sizeLimitt"], "1Gi");
      expect(paths(validateStrict(obj))).toEqual(["/spec/bogus", "/spec/template/spec/volumes/0/emptyDir/sizeLimitt"]);
    });

    it("reports a wrong type without coercing it (replicas given as a string)", () => {
      const obj = withValue(deployment(), ["spec", "replicas"], "3");
      const issues = validateStrict(obj);
      expect(issues).toContainEqual({ path: "/spec/replicas", message: "must be integer" });
      expect(obj.spec).toMatchObject({ replicas: "3" }); // the input is left untouched
    });

    it("reports a missing required field with the path of the missing field", () => {
      const obj = deployment();
      delete (obj.spec as Json).selector;
      expect(validateStrict(obj)).toEqual([{ path: "/spec/selector", message: 'missing required field "selector"' }]);
    });

    it("reports an enum violation with the allowed values", () => {
      const obj = withValue(deployment(), ["spec", "template", "spec", "containers", 0, "imagePullPolicy"], "Sometimes");
      const [issue] = validateStrict(obj);
      expect(issue?.path).toBe("/spec/template/spec/containers/0/imagePullPolicy");
      expect(issue?.message).toContain('"IfNotPresent"');
    });

    it("checks metadata against ObjectMeta", () => {
      const obj = withValue(deployment(), ["metadata", "lables"], { a: "b" });
      expect(validateStrict(obj)).toEqual([{ path: "/metadata/lables", message: 'unknown field "lables" (did you mean "labels"?)' }]);
    });

    it("accepts arbitrary keys in labels and annotations maps but still checks their value types", () => {
      const obj = withValue(deployment(), ["metadata", "labels", "any.domain/any-key_1"], "v");
      expect(validateStrict(obj)).toEqual([]);
      const bad = withValue(deployment(), ["metadata", "labels", "count"], 3);
      expect(paths(validateStrict(bad))).toEqual(["/metadata/labels/count"]);
    });

    it("accepts resource quantities and int-or-string ports given as numbers or strings", () => {
      const obj = deployment();
      const container = ((((obj.spec as Json).template as Json).spec as Json).containers as Json[])[0]!;
      container.resources = { requests: { cpu: "500m", memory: 1073741824 }, limits: { cpu: 2, memory: "8Gi" } };
      expect(validateStrict(obj)).toEqual([]);
    });

    it("accepts a status block and rejects unknown fields inside it", () => {
      expect(validateStrict({ ...deployment(), status: { replicas: 3, readyReplicas: 3 } })).toEqual([]);
      expect(paths(validateStrict({ ...deployment(), status: { replicaz: 3 } }))).toEqual(["/status/replicaz"]);
    });

    it("escapes '/' and '~' in reported paths as JSON pointers do", () => {
      const obj = withValue(deployment(), ["spec", "a/b~c"], 1);
      expect(paths(validateStrict(obj))).toEqual(["/spec/a~1b~0c"]);
    });

    it("does not treat Object.prototype names as known fields", () => {
      const obj = withValue(deployment(), ["spec", "constructor"], 1);
      expect(paths(validateStrict(obj))).toEqual(["/spec/constructor"]);
    });
  });

  describe("with apiVersion and kind", () => {
    it("rejects a kind that is not in the registry, naming the registry file", () => {
      const issues = validateStrict({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
      expect(issues).toHaveLength(1);
      expect(issues[0]?.message).toContain("unknown kind");
      expect(issues[0]?.message).toContain("generators/check/schema/registry.ts");
    });

    it("rejects a registered kind under an unregistered apiVersion", () => {
      const issues = validateStrict({ ...deployment(), apiVersion: "apps/v1beta1" });
      expect(issues[0]?.message).toContain("unknown kind");
    });

    it("requires apiVersion and kind", () => {
      expect(paths(validateStrict({ metadata: { name: "x" } }))).toEqual(["/apiVersion", "/kind"]);
    });

    it("rejects values that are not objects", () => {
      expect(validateStrict("kind: Deployment")).toEqual([{ path: "", message: "must be an object" }]);
      expect(validateStrict(null)).toEqual([{ path: "", message: "must be an object" }]);
    });
  });

  describe("with CRD objects", () => {
    const externalSecret: Json = {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "db", namespace: "tenant-a" },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: "aws" },
        target: { name: "db", creationPolicy: "Owner", template: { type: "Opaque", data: { url: "postgres://{{ .user }}" } } },
        data: [{ secretKey: "password", remoteRef: { key: "prod/db", property: "password" } }],
      },
    };

    it("accepts a valid ExternalSecret and rejects an unknown field in it", () => {
      expect(validateStrict(externalSecret)).toEqual([]);
      const bad = withValue(externalSecret, ["spec", "data", 0, "remoteRef", "proprety"], "x");
      expect(validateStrict(bad)).toEqual([
        { path: "/spec/data/0/remoteRef/proprety", message: 'unknown field "proprety" (did you mean "property"?)' },
      ]);
    });

    const nodePool: Json = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "gpu" },
      spec: {
        template: {
          metadata: { labels: { "ai-fleet.example/pool": "gpu" } },
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
            requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g5", "p4d"] }],
            taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
            expireAfter: "720h",
          },
        },
        limits: { cpu: 1000, memory: "4000Gi", "nvidia.com/gpu": 64 },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m" },
      },
    };

    it("accepts a valid Karpenter NodePool with numeric and string limits, and rejects an unknown field", () => {
      expect(validateStrict(nodePool)).toEqual([]);
      const bad = withValue(nodePool, ["spec", "template", "spec", "nodeClassRef", "namespace"], "x");
      expect(paths(validateStrict(bad))).toEqual(["/spec/template/spec/nodeClassRef/namespace"]);
    });

    const serviceMonitor: Json = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "web", namespace: "tenant-a", labels: { release: "prometheus" } },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
        endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
      },
    };

    it("accepts a valid ServiceMonitor and rejects an unknown field in an endpoint", () => {
      expect(validateStrict(serviceMonitor)).toEqual([]);
      const bad = withValue(serviceMonitor, ["spec", "endpoints", 0, "intervall"], "30s");
      expect(validateStrict(bad)).toEqual([
        { path: "/spec/endpoints/0/intervall", message: 'unknown field "intervall" (did you mean "interval"?)' },
      ]);
    });

    it("accepts Istio v1 objects whose declarations use large oneOf unions, and rejects unknown fields", () => {
      const rule: Json = {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "web" },
        spec: {
          host: "web.tenant-a.svc.cluster.local",
          trafficPolicy: {
            loadBalancer: { consistentHash: { httpHeaderName: "x-user" } },
            connectionPool: { http: { maxRequestsPerConnection: 10 } },
            tls: { mode: "ISTIO_MUTUAL" },
          },
        },
      };
      expect(validateStrict(rule)).toEqual([]);
      const bad = withValue(rule, ["spec", "trafficPolicy", "loadBalancer", "consistentHash", "httpHeader"], "x");
      expect(paths(validateStrict(bad))).toEqual(["/spec/trafficPolicy/loadBalancer/consistentHash/httpHeader"]);
    });
  });

  describe("with Argo CD objects", () => {
    const applicationSet: Json = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "tenants", namespace: "argocd" },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [{ list: { elements: [{ tenant: "a", env: "prod", nested: { any: ["thing"] } }] } }],
        template: {
          metadata: { name: "{{ .tenant }}-{{ .env }}", labels: { tenant: "{{ .tenant }}" } },
          spec: {
            project: "tenants",
            source: { repoURL: "https://git.example.com/fleet.git", targetRevision: "main", path: "rendered/{{ .env }}/{{ .tenant }}" },
            destination: { server: "https://kubernetes.default.svc", namespace: "tenant-{{ .tenant }}" },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=false"] },
          },
        },
      },
    };

    it("accepts an ApplicationSet with a goTemplate template and free-form list elements", () => {
      expect(validateStrict(applicationSet)).toEqual([]);
    });

    it("rejects an unknown field in the ApplicationSet's application template", () => {
      const bad = withValue(applicationSet, ["spec", "template", "spec", "source", "targetRevison"], "main");
      expect(validateStrict(bad)).toEqual([
        { path: "/spec/template/spec/source/targetRevison", message: 'unknown field "targetRevison" (did you mean "targetRevision"?)' },
      ]);
    });

    it("accepts anything in fields typed as unknown, such as a Helm valuesObject", () => {
      const app: Json = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: "ingress", namespace: "argocd" },
        spec: {
          project: "platform",
          source: {
            repoURL: "https://charts.example.com",
            chart: "ingress-nginx",
            targetRevision: "4.11.0",
            helm: { releaseName: "ingress", valuesObject: { controller: { replicaCount: 2, weird_key: [1, { x: null }] } } },
          },
          destination: { server: "https://kubernetes.default.svc", namespace: "ingress" },
        },
      };
      expect(validateStrict(app)).toEqual([]);
      const bad = withValue(app, ["spec", "source", "helm", "valuesObjects"], {});
      expect(paths(validateStrict(bad))).toEqual(["/spec/source/helm/valuesObjects"]);
    });
  });
});

describe("the .d.ts-derived field tree", () => {
  const roots = strictRoots();
  const { tree } = deriveStrictFieldTree(roots);

  it("resolves the root interface of every registered kind", () => {
    for (const entry of registryEntries()) {
      const root = tree.roots[`${entry.module}#${entry.interfaceName}`];
      expect(root, entry.kind).toBeTypeOf("number");
      const props = tree.nodes[root!]?.props ?? {};
      expect(Object.keys(props), entry.kind).toEqual(expect.arrayContaining(["apiVersion", "kind", "metadata"]));
    }
  });

  it("is committed as today's packages and walker derive it, so a clone's first check runs no compiler", () => {
    const committed = readFileSync(join(REPO, COMMITTED_TREE), "utf8");
    expect(committed, `${COMMITTED_TREE} is stale: run npm run schema and commit the result`).toBe(committedTreeText(roots, tree));
    expect(loadStrictFieldTree(roots)).toEqual(tree);
    expect(strictTreeStats()?.source).toBe("committed");
  });

  it("is derived again when the committed tree was derived for other packages or another walker", () => {
    const other = [...roots, { module: "kubernetes-models/v1/Pod", interfaceName: "IPod" }];
    expect(committedTreeText(other, tree)).not.toBe(committedTreeText(roots, tree));
    const derived = loadStrictFieldTree(other);
    expect(strictTreeStats()?.source).not.toBe("committed");
    expect(derived.roots["kubernetes-models/v1/Pod#IPod"]).toBeTypeOf("number");
  });
});
