/**
 * The health rules of `npm run check`: every resource that can never become Healthy at its
 * Application's wave (model.ts decides, per Argo CD's health code), and KEDA queries over
 * series no metric declares. Registered in docs/policy.md § Health.
 */
import { METRIC_HANDLES, parseSelector } from "../../addons/metrics.js";
import { idOf, kindOf, obj, objs, str, type Obj } from "../policy/util.js";
import type { ClusterPlan } from "../bootstrap/plan.js";
import type { BootstrapHit } from "../bootstrap/rules.js";
import { blockers } from "./model.js";

export interface HealthRule {
  id: string;
  description: string;
  fix: string;
  check(plan: ClusterPlan): BootstrapHit[];
}

const fromModel = (id: string, description: string, fix: string): HealthRule => ({
  id,
  description,
  fix,
  check: (plan) =>
    blockers(plan)
      .filter((b) => b.rule === id)
      .map((b) => ({ part: b.part.name, object: b.object, path: b.path, message: b.message })),
});

/** Series selectors `name{...}` in a PromQL expression, with their matchers. */
export function querySeries(query: string): { name: string; labels: string[] }[] {
  const out: { name: string; labels: string[] }[] = [];
  for (const m of query.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})/g)) {
    try {
      out.push({
        name: m[1]!,
        labels: parseSelector(`${m[1]}${m[2]}`)
          .map((x) => x.label)
          .filter((l) => l !== "__name__"),
      });
    } catch {
      out.push({ name: m[1]!, labels: [] });
    }
  }
  return out;
}

const kedaSeries: HealthRule = {
  id: "health-keda-series",
  description:
    "Every series a KEDA Prometheus trigger queries is a declared metric (generators/addons/metrics.ts), selected by the labels that name the measured workload (an exporter's exported_namespace, not its own namespace).",
  fix: "Build the query with selectSeries(METRICS.<handle>, { namespace, ... }), declaring the series first.",
  check: (plan) =>
    plan.parts.flatMap((part) =>
      (part.objects as Obj[])
        .filter((o) => kindOf(o) === "ScaledObject" || kindOf(o) === "ScaledJob")
        .flatMap((o) =>
          objs(obj(o.spec).triggers).flatMap((t, i) => {
            if (str(t.type) !== "prometheus") return [];
            const query = str(obj(t.metadata).query) ?? "";
            return querySeries(query).flatMap((s) => {
              const handle = METRIC_HANDLES.find((h) => h.series.name === s.name);
              const path = `spec.triggers[${i}].metadata.query`;
              if (!handle)
                return [
                  {
                    part: part.name,
                    object: idOf(o),
                    path,
                    message: `${s.name} is not a declared metric: nothing says which labels name its pods, or that any exporter produces it (kubernetes-sigs/prometheus-adapter docs/config.md; kedacore/keda pkg/scalers/prometheus_scaler.go treats an empty result as 0)`,
                  },
                ];
              const ns = handle.series.workload.namespace;
              if (ns !== "namespace" && s.labels.includes("namespace") && !s.labels.includes(ns))
                return [
                  {
                    part: part.name,
                    object: idOf(o),
                    path,
                    message: `${s.name} names the measured workload's namespace in ${ns}; its namespace label is the exporter's own, so the query matches nothing and the scaler reads 0 (kedacore/keda pkg/scalers/prometheus_scaler.go)`,
                  },
                ];
              return [];
            });
          }),
        ),
    ),
};

export const HEALTH_RULES: readonly HealthRule[] = [
  fromModel(
    "health-secret",
    "Every Secret a pod reads (env, envFrom, volumes, projected; not optional) or a chart's values name as existing (grafana.admin.existingSecret) is made by its own Application or an earlier wave: a Secret, an ExternalSecret's target, a Certificate's secretName, an Ingress cert-manager issues for.",
    "Make the Secret in an earlier wave (or the same Application), or move the consumer after its producer.",
  ),
  fromModel(
    "health-config-map",
    "Every ConfigMap a pod reads (not optional) is made by its own Application or an earlier wave (kube-root-ca.crt is in every namespace).",
    "Emit the ConfigMap with the workload, or in an earlier wave.",
  ),
  fromModel(
    "health-secret-store",
    "Every ExternalSecret's SecretStore (in its namespace) or ClusterSecretStore is made by its own Application or an earlier wave.",
    "Create the store in the platform tenant (an earlier wave) for that namespace.",
  ),
  fromModel(
    "health-issuer",
    "Every Certificate's issuer (and every Ingress's cert-manager.io/(cluster-)issuer) is made by its own Application or an earlier wave.",
    "Create the (Cluster)Issuer in the platform tenant, or name one that exists.",
  ),
  fromModel(
    "health-acme-solver",
    "Every DNS name a Certificate or Ingress orders from an ACME issuer is selected by one of the issuer's solvers (dnsZones, dnsNames or no selector).",
    "Add a solver whose selector covers the name's zone to the ClusterIssuer (generators/builders/platform.ts).",
  ),
  fromModel(
    "health-trigger-auth",
    "Every TriggerAuthentication (or ClusterTriggerAuthentication) a KEDA trigger references is made by its own Application or an earlier wave.",
    "Emit the TriggerAuthentication with the ScaledObject (generators/builders/keda.ts).",
  ),
  fromModel(
    "health-hpa-metric",
    "Every Pods metric of an HPA is served by a prometheus-adapter rule of an earlier wave that maps the series' labels naming the target's own pods (not an exporter's).",
    "Declare the metric in generators/addons/metrics.ts: its adapter rule is generated from the declaration.",
  ),
  fromModel(
    "health-gateway-certificate",
    "Every certificate Secret a Gateway API listener names is made (a Certificate's secretName, an ExternalSecret's target) by the Gateway's own Application or an earlier wave; otherwise the listener is ResolvedRefs=False and the Gateway Degraded.",
    "Issue the listener's certificate in the Gateway's namespace in the same Application (builders/certificates.ts), or read the published one there.",
  ),
  fromModel(
    "health-pvc-consumer",
    "Every PersistentVolumeClaim of a WaitForFirstConsumer StorageClass is mounted by a pod of its own Application; otherwise it stays Pending, which Argo CD reports Progressing.",
    "Mount the claim in a workload of the same Application, or use a volumeClaimTemplate.",
  ),
  kedaSeries,
];
