/**
 * Bootstrap-closure rules: over one cluster's plan, every object whose prerequisite is
 * not provided strictly earlier (by EKS, or by an Application of an earlier root wave).
 * Each rule's upstream source is in docs/policy.md § Bootstrap closure.
 */
import { ANNOTATIONS, LABELS } from "../../fleet/constants.js";
import type { GatewayWorkload, MetricsApi, Provides, StorageClassSpec, WebhookSpec } from "../../addons/provides.js";
import { BUILT_IN_GROUPS } from "../../addons/eks.js";
import { ISTIO_INJECTION_LABEL, SERVICE_DOMAIN } from "../../fleet/constants.js";
import {
  arr,
  groupOf,
  idOf,
  kindOf,
  labelsOf,
  mapSelectorMatches,
  nameOf,
  namespaceOf,
  obj,
  objs,
  str,
  strMap,
  type Obj,
} from "../policy/util.js";
import { before, namespaceLabels, objectNamespace, podTemplate, type ClusterPlan, type Part } from "./plan.js";

/** What a bootstrap rule reports; the pass adds the rule id and cluster. */
export interface BootstrapHit {
  part: string;
  object: string;
  path: string;
  message: string;
  fix?: string;
}

export interface BootstrapRule {
  id: string;
  description: string;
  fix: string;
  check(plan: ClusterPlan): BootstrapHit[];
}

/** Every object of every part, with its part. */
function located(plan: ClusterPlan): { part: Part; o: Obj }[] {
  return plan.parts.flatMap((part) => part.objects.map((o) => ({ part, o: o as Obj })));
}

function provided<T>(parts: readonly Part[], pick: (p: Provides) => readonly T[] | undefined): { part: Part; item: T }[] {
  return parts.flatMap((part) => (pick(part.provides) ?? []).map((item) => ({ part, item })));
}

function hit(part: Part, o: Obj, path: string, message: string, fix?: string): BootstrapHit {
  return { part: part.name, object: idOf(o), path, message, ...(fix !== undefined ? { fix } : {}) };
}

/** Where the parts that would provide something are, to say "too late" rather than "missing". */
function laterProviders(plan: ClusterPlan, wave: number, has: (p: Provides) => boolean): string {
  const late = plan.parts.filter((p) => p.wave >= wave && has(p.provides));
  return late.length === 0
    ? "nothing on the cluster provides it"
    : `only ${late.map((p) => `${p.name} (wave ${p.wave})`).join(", ")} provide${late.length === 1 ? "s" : ""} it, not strictly earlier`;
}

const hasCrd =
  (group: string, kind: string) =>
  (p: Provides): boolean =>
    (p.crds ?? []).some((c) => c.group === group && c.kinds.includes(kind));

const crdRule: BootstrapRule = {
  id: "bootstrap-crd",
  description: "Every object's kind is built into the API server or its CRD is installed by a part of a strictly earlier wave.",
  fix: "Move the object to a later wave, or install the add-on that defines its CRD in an earlier one.",
  check: (plan) => {
    const hits: BootstrapHit[] = [];
    const need = (part: Part, o: Obj | undefined, group: string, kind: string, path: string): void => {
      if (BUILT_IN_GROUPS.includes(group)) return;
      if (before(plan, part.wave).some((p) => hasCrd(group, kind)(p.provides))) return;
      const subject = o ?? { kind: "Application", metadata: { name: part.name } };
      hits.push(
        hit(
          part,
          subject,
          path,
          `no CRD for ${group}/${kind} before wave ${part.wave}: ${laterProviders(plan, part.wave, hasCrd(group, kind))}`,
        ),
      );
    };
    for (const { part, o } of located(plan)) need(part, o, groupOf(str(o.apiVersion) ?? ""), kindOf(o), "apiVersion");
    for (const part of plan.parts)
      for (const gk of part.model?.requiresCrds ?? []) need(part, undefined, gk.group, gk.kind, "requiresCrds");
    return hits;
  },
};

function webhookMatches(w: WebhookSpec, o: Obj, plan: ClusterPlan): boolean {
  const group = groupOf(str(o.apiVersion) ?? "");
  const kind = kindOf(o);
  const template = podTemplate(o);
  return w.rules.some((r) => {
    if (r.group === "" && r.kind === "Pod") {
      if (!template) return false;
      const podLabels = labelsOf(template);
      if (podLabels[LABELS.istioInject] === "false") return false;
      const nsLabels = namespaceLabels(plan, namespaceOf(o));
      const byNs = (w.namespaceLabels ?? []).some((sel) => mapSelectorMatches(sel, nsLabels));
      const byPod = (w.podLabels ?? []).some((sel) => mapSelectorMatches(sel, podLabels));
      return byNs || byPod;
    }
    if (r.group !== group || (r.kind !== "*" && r.kind !== kind)) return false;
    return !w.loadBalancerServicesOnly || str(obj(o.spec).type) === "LoadBalancer";
  });
}

const webhookRule: BootstrapRule = {
  id: "bootstrap-webhook",
  description: "An object an admission webhook intercepts is applied only after the part that runs the webhook (strictly earlier wave).",
  fix: "Install the webhook's add-on in an earlier wave than the objects it intercepts.",
  check: (plan) => {
    const webhookParts = plan.parts.filter((q) => (q.provides.webhooks ?? []).length > 0);
    return located(plan).flatMap(({ part, o }) =>
      webhookParts
        .filter((q) => q !== part && q.wave >= part.wave)
        .flatMap((q) =>
          (q.provides.webhooks ?? [])
            .filter((w) => webhookMatches(w, o, plan))
            .map((w) =>
              hit(
                part,
                o,
                "metadata",
                `${w.type} webhook ${w.name} (failurePolicy ${w.failurePolicy}) of ${q.name} intercepts it, but ${q.name} installs at wave ${q.wave}, not before wave ${part.wave}${w.failurePolicy === "Fail" ? ": the API server rejects it" : w.type === "mutating" ? ": it is admitted unmutated" : ": it is admitted unvalidated"}`,
              ),
            ),
        ),
    );
  },
};

const namespaceRule: BootstrapRule = {
  id: "bootstrap-namespace",
  description:
    "A namespaced object's namespace exists: created by its own Application (CreateNamespace, or a Namespace it applies) or provided strictly earlier.",
  fix: "Create the namespace in the platform tenant (an earlier wave), or let the Application create it.",
  check: (plan) => {
    const ownNamespaces = new Map(
      plan.parts.map((p) => [p, new Set(p.objects.filter((x) => kindOf(x as Obj) === "Namespace").map((x) => nameOf(x as Obj)))]),
    );
    return located(plan).flatMap(({ part, o }) => {
      const ns = objectNamespace(o);
      if (ns === undefined) return [];
      if (part.createdNamespace?.name === ns) return [];
      if (ownNamespaces.get(part)?.has(ns)) return [];
      if (before(plan, part.wave).some((p) => (p.provides.namespaces ?? []).includes(ns))) return [];
      return [
        hit(
          part,
          o,
          "metadata.namespace",
          `namespace ${ns} does not exist before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.namespaces ?? []).includes(ns))}`,
        ),
      ];
    });
  },
};

/** In-tree provisioners are served by their CSI driver (CSI migration, on by default since Kubernetes 1.23 for AWS EBS). */
const CSI_MIGRATED: Readonly<Record<string, string>> = { "kubernetes.io/aws-ebs": "ebs.csi.aws.com" };

/** Claims: PVCs and StatefulSet volumeClaimTemplates. */
function claims(o: Obj): { path: string; className: string | undefined }[] {
  if (kindOf(o) === "PersistentVolumeClaim") return [{ path: "spec.storageClassName", className: str(obj(o.spec).storageClassName) }];
  if (kindOf(o) === "StatefulSet")
    return objs(obj(o.spec).volumeClaimTemplates).map((t, i) => ({
      path: `spec.volumeClaimTemplates[${i}].spec.storageClassName`,
      className: str(obj(t.spec).storageClassName),
    }));
  return [];
}

const storageRule: BootstrapRule = {
  id: "bootstrap-storage",
  description:
    "A claim's StorageClass (or, naming none, exactly one default class) and its provisioner's CSI driver are provided strictly earlier.",
  fix: "Name a StorageClass an earlier wave provides, mark exactly one class default, and install its CSI driver earlier.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) =>
      claims(o).flatMap((c) => {
        const earlier = before(plan, part.wave);
        const classes = provided(earlier, (p) => p.storageClasses).map((x) => x.item);
        let sc: StorageClassSpec | undefined;
        if (c.className === undefined) {
          const defaults = classes.filter((x) => x.default);
          sc = defaults.length === 1 ? defaults[0] : undefined;
          if (!sc)
            return [
              hit(
                part,
                o,
                c.path,
                `names no StorageClass and ${defaults.length === 0 ? "no" : `${defaults.length} (${defaults.map((d) => d.name).join(", ")})`} default class exists before wave ${part.wave}: the claim stays Pending`,
              ),
            ];
        } else {
          sc = classes.find((x) => x.name === c.className);
          if (!sc)
            return [
              hit(
                part,
                o,
                c.path,
                `StorageClass ${c.className} does not exist before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.storageClasses ?? []).some((x) => x.name === c.className))}`,
              ),
            ];
        }
        const driver = CSI_MIGRATED[sc.provisioner] ?? sc.provisioner;
        if (earlier.some((p) => (p.provides.csiDrivers ?? []).includes(driver))) return [];
        return [
          hit(
            part,
            o,
            c.path,
            `StorageClass ${sc.name} needs the CSI driver ${driver}, which is not installed before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.csiDrivers ?? []).includes(driver))}`,
          ),
        ];
      }),
    ),
};

const loadBalancerRule: BootstrapRule = {
  id: "bootstrap-load-balancer",
  description:
    "A Service of type LoadBalancer has a controller for its aws-load-balancer-type annotation (or loadBalancerClass), installed strictly earlier.",
  fix: "Install the AWS Load Balancer Controller in an earlier wave, or drop the annotation the in-tree provider does not handle.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "Service" || str(obj(o.spec).type) !== "LoadBalancer") return [];
      const type = obj(obj(o.metadata).annotations)[ANNOTATIONS.awsLoadBalancerType];
      const cls = str(obj(o.spec).loadBalancerClass);
      const serves = (p: Provides): boolean =>
        (p.loadBalancers ?? []).some((l) =>
          cls !== undefined ? l.classes.includes(cls) : l.types.includes(typeof type === "string" ? type : ""),
        );
      if (before(plan, part.wave).some((p) => serves(p.provides))) return [];
      const what =
        cls !== undefined
          ? `loadBalancerClass ${cls}`
          : `${ANNOTATIONS.awsLoadBalancerType}: ${typeof type === "string" ? type : "(none)"}`;
      return [
        hit(
          part,
          o,
          "metadata.annotations",
          `no controller handles ${what} before wave ${part.wave} (${laterProviders(plan, part.wave, serves)}): the Service never gets a load balancer and stays Progressing`,
        ),
      ];
    }),
};

const ingressClassRule: BootstrapRule = {
  id: "bootstrap-ingress-class",
  description: "An Ingress's class (or the default IngressClass) is served by a controller installed strictly earlier.",
  fix: "Install the ingress controller for the class in an earlier wave, or use a class one serves.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "Ingress") return [];
      const name = str(obj(o.spec).ingressClassName);
      const classes = provided(before(plan, part.wave), (p) => p.ingressClasses).map((x) => x.item);
      const ok = name !== undefined ? classes.some((c) => c.name === name) : classes.filter((c) => c.default).length === 1;
      return ok
        ? []
        : [hit(part, o, "spec.ingressClassName", `no controller serves IngressClass ${name ?? "(default)"} before wave ${part.wave}`)];
    }),
};

/** Pods that the sidecar injector would inject, in their namespace. */
function injected(plan: ClusterPlan, o: Obj): boolean {
  const t = podTemplate(o);
  if (!t) return false;
  const podLabels = labelsOf(t);
  if (podLabels[LABELS.istioInject] === "false") return false;
  return namespaceLabels(plan, namespaceOf(o))[ISTIO_INJECTION_LABEL] === "enabled" || podLabels[LABELS.istioInject] === "true";
}

const istioCniRule: BootstrapRule = {
  id: "bootstrap-istio-cni",
  description:
    "Injected pods in a Pod Security `restricted` namespace need istio-cni (and istiod configured for it), installed strictly earlier: istio-init needs NET_ADMIN and NET_RAW.",
  fix: "Install istio-cni in an earlier wave and set istiod's pilot.cni.enabled, or stop injecting into the restricted namespace.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (!injected(plan, o)) return [];
      if (namespaceLabels(plan, namespaceOf(o))[LABELS.podSecurityEnforce] !== "restricted") return [];
      const earlier = before(plan, part.wave);
      const cni = earlier.some((p) => p.provides.istioCni === true);
      const injector = earlier.find((p) => p.provides.sidecarInjection !== undefined);
      if (cni && injector?.provides.sidecarInjection?.cni === true) return [];
      const missing = [
        ...(cni ? [] : ["the istio-cni node agent"]),
        ...(injector?.provides.sidecarInjection?.cni === true ? [] : ["istiod with pilot.cni.enabled"]),
      ];
      return [
        hit(
          part,
          o,
          "spec.template",
          `injected into restricted namespace ${namespaceOf(o)} without ${missing.join(" and ")} before wave ${part.wave}: istio-init (NET_ADMIN, NET_RAW) is rejected by Pod Security`,
        ),
      ];
    }),
};

/** The Istio Gateways of the plan, each with the gateway workloads installed before its wave that its selector matches. */
function istioGateways(plan: ClusterPlan): { part: Part; o: Obj; selector: Record<string, string>; workloads: GatewayWorkload[] }[] {
  return located(plan).flatMap(({ part, o }) => {
    if (kindOf(o) !== "Gateway" || groupOf(str(o.apiVersion) ?? "") !== "networking.istio.io") return [];
    const selector = strMap(obj(o.spec).selector);
    const workloads = provided(before(plan, part.wave), (p) => p.gatewayWorkloads)
      .map((w) => w.item)
      .filter((w) => mapSelectorMatches(selector, { ...w.labels }));
    return [{ part, o, selector, workloads }];
  });
}

const gatewayRule: BootstrapRule = {
  id: "bootstrap-gateway-workload",
  description: "Every Istio Gateway's selector matches a gateway workload installed strictly earlier.",
  fix: "Install an Istio ingress gateway whose pod labels the Gateway selects, in an earlier wave.",
  check: (plan) =>
    istioGateways(plan).flatMap(({ part, o, selector, workloads }) =>
      workloads.length > 0
        ? []
        : [
            hit(
              part,
              o,
              "spec.selector",
              `no gateway workload with labels ${JSON.stringify(selector)} before wave ${part.wave}: the Gateway configures nothing`,
            ),
          ],
    ),
};

const gatewayCredentialRule: BootstrapRule = {
  id: "bootstrap-gateway-credential",
  description:
    "Every TLS credentialName of an Istio Gateway is issued (a cert-manager Certificate with that secretName) in the namespace of each gateway workload it selects, strictly earlier: Istio reads the Secret there, not in the Gateway's namespace.",
  fix: "Issue the certificate in the gateway workload's namespace (the platform does, generators/builders/istio.ts buildGatewayCertificates) and name it in the Gateway.",
  check: (plan) =>
    istioGateways(plan).flatMap(({ part, o, workloads }) => {
      const earlier = before(plan, part.wave);
      const namespaces = [...new Set(workloads.map((w) => w.namespace))];
      const issued = (ns: string, secret: string): boolean =>
        earlier.some((p) =>
          p.objects.some(
            (c) => kindOf(c as Obj) === "Certificate" && namespaceOf(c as Obj) === ns && str(obj((c as Obj).spec).secretName) === secret,
          ),
        );
      return objs(obj(o.spec).servers).flatMap((server, i) => {
        const secret = str(obj(server.tls).credentialName);
        if (secret === undefined) return [];
        return namespaces
          .filter((ns) => !issued(ns, secret))
          .map((ns) =>
            hit(
              part,
              o,
              `spec.servers[${i}].tls.credentialName`,
              `${secret} is read from the gateway's namespace ${ns}, where nothing issues it before wave ${part.wave}: the HTTPS listener has no certificate`,
            ),
          );
      });
    }),
};

/** Namespaces an AuthorizationPolicy admits callers from: `source.namespaces` and the namespaces of `source.principals`. */
function sourceNamespaces(ap: Obj): { path: string; namespace: string }[] {
  const out: { path: string; namespace: string }[] = [];
  objs(obj(ap.spec).rules).forEach((r, ri) => {
    objs(r.from).forEach((f, fi) => {
      const src = obj(f.source);
      for (const n of arr(src.namespaces))
        if (typeof n === "string") out.push({ path: `spec.rules[${ri}].from[${fi}].source.namespaces`, namespace: n });
      for (const p of arr(src.principals)) {
        const m = typeof p === "string" ? /^[^/]+\/ns\/([^/]+)\/sa\//.exec(p) : null;
        if (m?.[1]) out.push({ path: `spec.rules[${ri}].from[${fi}].source.principals`, namespace: m[1] });
      }
    });
  });
  return out;
}

const meshIdentityRule: BootstrapRule = {
  id: "bootstrap-mesh-identity",
  description:
    "An AuthorizationPolicy admits callers by namespace or principal only from namespaces whose workloads carry a mesh identity (injected, or a gateway), provided strictly earlier or by the same wave's tenant itself.",
  fix: "Mesh the calling namespace (sidecar injection, e.g. ingress-nginx) or route the traffic through the Istio ingress gateway.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "AuthorizationPolicy") return [];
      const meshed = (ns: string): boolean =>
        namespaceLabels(plan, ns)[ISTIO_INJECTION_LABEL] === "enabled" ||
        plan.parts.some((p) => (p.wave < part.wave || p === part) && (p.provides.meshedNamespaces ?? []).includes(ns));
      return sourceNamespaces(o)
        .filter((s) => !meshed(s.namespace))
        .map((s) =>
          hit(
            part,
            o,
            s.path,
            `admits callers from namespace ${s.namespace}, whose workloads have no mesh identity: under mTLS the rule never matches (source.namespaces and principals need mTLS)`,
          ),
        );
    }),
};

/** The metrics API an HPA metric type reads (k8s.io/api autoscaling/v2 MetricSourceType). */
const METRIC_APIS: Readonly<Record<string, MetricsApi>> = {
  Resource: "metrics.k8s.io",
  ContainerResource: "metrics.k8s.io",
  Pods: "custom.metrics.k8s.io",
  Object: "custom.metrics.k8s.io",
  External: "external.metrics.k8s.io",
};

const metricsRule: BootstrapRule = {
  id: "bootstrap-metrics-api",
  description:
    "Every HPA metric type (and every KEDA ScaledObject) has its metrics API served by a part installed strictly earlier: metrics-server, an adapter, or KEDA.",
  fix: "Install metrics-server (Resource), prometheus-adapter (Pods, Object) or KEDA (External) in an earlier wave.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      const needs: { path: string; api: MetricsApi }[] = [];
      if (kindOf(o) === "HorizontalPodAutoscaler")
        objs(obj(o.spec).metrics).forEach((m, i) => {
          const api = METRIC_APIS[str(m.type) ?? ""];
          if (api) needs.push({ path: `spec.metrics[${i}].type`, api });
        });
      if (kindOf(o) === "ScaledObject") needs.push({ path: "spec.triggers", api: "external.metrics.k8s.io" });
      const earlier = before(plan, part.wave);
      return needs
        .filter((n) => !earlier.some((p) => (p.provides.metricsApis ?? []).includes(n.api)))
        .map((n) =>
          hit(
            part,
            o,
            n.path,
            `${n.api} is not served before wave ${part.wave} (${laterProviders(plan, part.wave, (p) => (p.metricsApis ?? []).includes(n.api))}): the autoscaler reports FailedGetMetrics and never scales`,
          ),
        );
    }),
};

/** Host names in a KEDA trigger's metadata (URLs, host:port lists). */
function triggerHosts(metadata: Record<string, string>): { key: string; host: string }[] {
  const out: { key: string; host: string }[] = [];
  for (const key of ["serverAddress", "bootstrapServers", "brokers", "address", "addresses", "host", "hosts", "url"]) {
    const v = metadata[key];
    if (v === undefined) continue;
    for (const part of v
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "")) {
      let host = part;
      try {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(part)) host = new URL(part).hostname;
        else host = part.replace(/:\d+$/, "");
      } catch {
        host = part;
      }
      out.push({ key, host });
    }
  }
  return out;
}

/** `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` (or a pod of a headless Service) -> the Service. */
function serviceOf(host: string): { name: string; namespace: string } | undefined {
  const labels = host
    .replace(/\.cluster\.local$/, "")
    .replace(/\.svc$/, "")
    .split(".");
  if (labels.length < 2 || labels.length > 3) return undefined;
  const [a, b, c] = labels;
  return labels.length === 2 ? { name: a!, namespace: b! } : { name: b!, namespace: c! };
}

const scalerAddressRule: BootstrapRule = {
  id: "bootstrap-scaler-address",
  description:
    "A KEDA trigger's addresses resolve from the namespace KEDA's scalers run in: a cluster Service named with its namespace, never a short name.",
  fix: `Write the address fully qualified: <service>.<namespace>.${SERVICE_DOMAIN}:<port>.`,
  check: (plan) => {
    const scalerNs = plan.parts.find((p) => p.provides.scalerNamespace !== undefined)?.provides.scalerNamespace ?? "keda";
    // Every Service on the cluster, as "<namespace>/<name>".
    const services = new Set(
      plan.parts
        .flatMap((p) => [
          ...(p.provides.services ?? []),
          ...p.objects
            .filter((x) => kindOf(x as Obj) === "Service")
            .map((x) => ({ name: nameOf(x as Obj), namespace: namespaceOf(x as Obj) })),
        ])
        .map((x) => `${x.namespace}/${x.name}`),
    );
    return located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "ScaledObject" && kindOf(o) !== "ScaledJob") return [];
      return objs(obj(o.spec).triggers).flatMap((t, i) =>
        triggerHosts(strMap(t.metadata)).flatMap(({ key, host }) => {
          const path = `spec.triggers[${i}].metadata.${key}`;
          if (!host.includes(".")) {
            if (namespaceOf(o) === scalerNs) return [];
            return [
              hit(
                part,
                o,
                path,
                `${host} is a short name: KEDA's scaler resolves it in namespace ${scalerNs}, not ${namespaceOf(o)} (kedacore/keda#978)`,
              ),
            ];
          }
          const isClusterName = /\.svc(\.cluster\.local)?$/.test(host) || host.split(".").length === 2;
          if (!isClusterName) return [];
          const svc = serviceOf(host);
          if (svc && services.has(`${svc.namespace}/${svc.name}`)) return [];
          return [hit(part, o, path, `${host} names no Service on the cluster`)];
        }),
      );
    });
  },
};

/**
 * Image repositories whose versioned tags were withdrawn: Bitnami moved its catalog to
 * docker.io/bitnamilegacy (unmaintained) and keeps only `latest` of a few images (bitnami/containers#83267).
 */
const WITHDRAWN: readonly { prefix: RegExp; keep: (tag: string) => boolean; source: string }[] = [
  { prefix: /^(docker\.io\/)?bitnami\//, keep: (tag) => tag === "latest", source: "bitnami/containers#83267" },
];

const imageRule: BootstrapRule = {
  id: "bootstrap-image-available",
  description: "No container image comes from a repository whose versioned tags were withdrawn upstream.",
  fix: "Move to a maintained image, pinned by tag and digest, and record the choice in the tenant's doc.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      const t = podTemplate(o);
      if (!t) return [];
      const spec = obj(t.spec);
      return (["initContainers", "containers"] as const).flatMap((field) =>
        objs(spec[field]).flatMap((c, i) => {
          const image = str(c.image) ?? "";
          const ref = image.split("@")[0]!;
          const slash = ref.lastIndexOf("/");
          const colon = ref.lastIndexOf(":");
          const tag = colon > slash ? ref.slice(colon + 1) : "latest";
          const repo = colon > slash ? ref.slice(0, colon) : ref;
          const w = WITHDRAWN.find((x) => x.prefix.test(repo) && !x.keep(tag));
          return w
            ? [
                hit(
                  part,
                  o,
                  `spec.template.spec.${field}[${i}].image`,
                  `${image}: the versioned tags of ${repo} were withdrawn (${w.source}); the pod never pulls its image`,
                ),
              ]
            : [];
        }),
      );
    }),
};

const networkPolicyRule: BootstrapRule = {
  id: "bootstrap-network-policy",
  description:
    "A cluster with NetworkPolicies enforces them: the EKS VPC CNI is managed with enableNetworkPolicy=true (or another part enforces them).",
  fix: 'Add vpc-cni with configuration { enableNetworkPolicy: "true" } to the fleet\'s EKS managed add-ons (generators/fleet/fleet.ts).',
  check: (plan) => {
    if (plan.parts.some((p) => p.provides.networkPolicy === true)) return [];
    const first = located(plan).find(({ o }) => kindOf(o) === "NetworkPolicy");
    return first
      ? [
          hit(
            first.part,
            first.o,
            "kind",
            "the cluster has NetworkPolicies but nothing enforces them: the EKS VPC CNI needs enableNetworkPolicy=true, which the fleet's EKS parts do not manage",
          ),
        ]
      : [];
  },
};

export const CLUSTER_RULES: readonly BootstrapRule[] = [
  crdRule,
  webhookRule,
  namespaceRule,
  storageRule,
  loadBalancerRule,
  ingressClassRule,
  istioCniRule,
  gatewayRule,
  gatewayCredentialRule,
  meshIdentityRule,
  metricsRule,
  scalerAddressRule,
  imageRule,
  networkPolicyRule,
];
