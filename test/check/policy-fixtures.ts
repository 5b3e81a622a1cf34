/** In-memory fixtures for the policy tests: one compliant tenant on one cluster, plus apps/. */
import { REPO_URL } from "../../generators/fleet/constants.js";
import { DEFAULT_FLEET, type Fleet } from "../../generators/fleet/fleet.js";
import type { K8sObject, PolicyInput } from "../../generators/check/policy/index.js";

/** Test-only: fixtures are mutated freely, so they are loosely typed. */
export type O = Record<string, any>;

export const NS = "team";
export const DIGEST = `sha256:${"a".repeat(64)}`;
const app = { "app.kubernetes.io/name": "web" };

export function deployment(): O {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: NS, labels: app },
    spec: {
      replicas: 2,
      selector: { matchLabels: app },
      template: {
        metadata: { labels: app },
        spec: {
          serviceAccountName: "web",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: app },
            },
          ],
          containers: [
            {
              name: "web",
              image: `registry.example.com/web:1.2.3@${DIGEST}`,
              ports: [
                { name: "http", containerPort: 8080 },
                { name: "metrics", containerPort: 9090 },
              ],
              env: [
                { name: "LOG_LEVEL", value: "info" },
                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "web-secret", key: "password" } } },
              ],
              readinessProbe: { httpGet: { path: "/ready", port: "http" } },
              livenessProbe: { tcpSocket: { port: 8080 } },
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
              volumeMounts: [
                { name: "config", mountPath: "/config" },
                { name: "data", mountPath: "/data" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: "web-config" } },
            { name: "data", persistentVolumeClaim: { claimName: "web-data" } },
            { name: "creds", secret: { secretName: "web-secret" } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

export function clusterObjects(): O[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "web", namespace: NS }, automountServiceAccountToken: false },
    deployment(),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: NS, labels: { ...app, metrics: "true" } },
      spec: {
        selector: app,
        ports: [
          { name: "http", port: 80, targetPort: "http" },
          { name: "metrics", port: 9090, targetPort: "metrics" },
        ],
      },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "web", namespace: NS },
      spec: { maxUnavailable: 1, selector: { matchLabels: app } },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "web", namespace: NS },
      // The ServiceMonitor below makes Prometheus scrape web: it is admitted on the named port (net-flow-denied).
      spec: {
        podSelector: { matchLabels: app },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ port: "metrics" }] },
        ],
      },
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: NS }, data: { "app.yaml": "greeting: hello\n" } },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      // Re-creatable, so durability-volumes needs no Velero objects in the fixture; a case removes it.
      metadata: { name: "web-data", namespace: NS, annotations: { "ai-platform.io/recreatable": "fixture data, rebuilt by the test" } },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: "web-secret", namespace: NS },
      spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" }, target: { name: "web-secret" }, data: [] },
    },
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: "aws-secrets-manager" },
      spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } } },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: NS },
      spec: {
        rules: [
          {
            host: "web.example.com",
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      // Selected by kube-prometheus-stack (PROMETHEUS_SELECTOR), so Prometheus scrapes it.
      metadata: { name: "web", namespace: NS, labels: { release: "kube-prometheus-stack" } },
      spec: { selector: { matchLabels: { metrics: "true" } }, endpoints: [{ port: "metrics" }] },
    },
    {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "gpu" },
      spec: {
        template: {
          spec: {
            requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["g5.2xlarge", "g5.12xlarge"] }],
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
          },
        },
      },
    },
  ];
}

export function appsObjects(): O[] {
  return [
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: "default", namespace: "argocd" },
      spec: { sourceRepos: [], destinations: [], clusterResourceWhitelist: [] },
    },
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: "team", namespace: "argocd" },
      spec: {
        sourceRepos: [REPO_URL],
        destinations: [
          { name: "prod-usw2", namespace: NS },
          { name: "dev-usw2", namespace: NS },
        ],
        clusterResourceWhitelist: [],
      },
    },
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "team", namespace: "argocd" },
      spec: {
        goTemplate: true,
        goTemplateOptions: ["missingkey=error"],
        generators: [
          {
            list: {
              elements: [
                { cluster: "prod-usw2", env: "prod" },
                { cluster: "dev-usw2", env: "dev" },
              ],
            },
          },
        ],
        template: {
          metadata: { name: "{{.cluster}}-team", labels: { "ai-platform.io/env": "{{.env}}", "ai-platform.io/tenant": "team" } },
          spec: {
            project: "team",
            source: { repoURL: REPO_URL, path: "clusters/{{.cluster}}/team", targetRevision: "main" },
            destination: { name: "{{.cluster}}", namespace: NS },
          },
        },
      },
    },
  ];
}

export interface Fixture {
  cluster: string;
  fleet: Fleet;
  objects: O[];
  apps: O[];
}

export function fixture(): Fixture {
  return { cluster: "prod-usw2", fleet: DEFAULT_FLEET, objects: clusterObjects(), apps: appsObjects() };
}

export function toInput(f: Fixture): PolicyInput {
  return {
    fleet: f.fleet,
    folders: [{ cluster: f.cluster, tenant: "team", objects: f.objects as K8sObject[] }],
    apps: f.apps as K8sObject[],
  };
}

/** Accessors into a fixture, for mutations. */
export function get(f: Fixture, kind: string, name: string): O {
  const o =
    f.objects.find((x) => x.kind === kind && x.metadata?.name === name) ?? f.apps.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`fixture has no ${kind}/${name}`);
  return o;
}
export const web = (f: Fixture): O => {
  const w = f.objects.find((x) => ["Deployment", "StatefulSet", "Job"].includes(x.kind) && x.metadata?.name === "web");
  if (!w) throw new Error("fixture has no web workload");
  return w;
};
export const pod = (f: Fixture): O => web(f).spec.template.spec;
export const ctr = (f: Fixture): O => pod(f).containers[0];
export const remove = (f: Fixture, kind: string, name: string): void => {
  f.objects = f.objects.filter((x) => !(x.kind === kind && x.metadata?.name === name));
  f.apps = f.apps.filter((x) => !(x.kind === kind && x.metadata?.name === name));
};
export function hpa(min: number | undefined, max: number, target = "web"): O {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: NS },
    spec: {
      ...(min === undefined ? {} : { minReplicas: min }),
      maxReplicas: max,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
    },
  };
}
/** Makes web a GPU workload. */
export function gpuize(f: Fixture, gpus: number, opts: { toleration?: boolean; nodepool?: string | undefined } = {}): void {
  ctr(f).resources.limits["nvidia.com/gpu"] = String(gpus);
  if (opts.toleration !== false) pod(f).tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }];
  const np = "nodepool" in opts ? opts.nodepool : "gpu";
  if (np !== undefined) pod(f).nodeSelector = { "karpenter.sh/nodepool": np };
}
