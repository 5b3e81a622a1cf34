/** Bootstrap-closure rules of what runs: metrics APIs for autoscalers, KEDA scaler addresses, withdrawn images, NetworkPolicy enforcement. */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";
import type { MetricsApi } from "../../addons/provides.js";
import { kindOf, nameOf, namespaceOf, obj, objs, str, strMap, type Obj } from "../policy/util.js";
import { before, podTemplate } from "./plan.js";
import { hit, laterProviders, located, type BootstrapRule } from "./hits.js";

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

export const RUNTIME_RULES: readonly BootstrapRule[] = [metricsRule, scalerAddressRule, imageRule, networkPolicyRule];
