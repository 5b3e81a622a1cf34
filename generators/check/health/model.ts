/**
 * Argo CD's health of every resource an Application applies, on a cluster synced from
 * empty, given only what exists at its wave. A resource that needs something no part of its
 * own Application or of a strictly earlier wave makes never becomes Healthy there, so the
 * Application never does, and the root never applies the later waves. Each decision names
 * the health Argo CD reports and the upstream code that decides it:
 *
 * - Pods of a Deployment/StatefulSet/DaemonSet/Job whose Secret or ConfigMap is missing stay
 *   in CreateContainerConfigError (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go
 *   makeEnvironmentVariables; volumes in pkg/volume/secret): gitops-engine
 *   pkg/health/health_deployment.go (Progressing, then Degraded on ProgressDeadlineExceeded),
 *   health_statefulset.go, health_daemonset.go (Progressing).
 * - ExternalSecret: argo-cd resource_customizations/external-secrets.io/ExternalSecret/health.lua
 *   (Ready=False -> Degraded) when its SecretStore does not exist.
 * - Certificate: resource_customizations/cert-manager.io/Certificate/health.lua (Progressing
 *   until Ready) when its issuer does not exist, or no ACME solver of the issuer selects a
 *   name (cert-manager pkg/issuer/acme/http/... solver selection: pkg/controller/acmeorders/selectors).
 * - HorizontalPodAutoscaler whose Pods metric no adapter of an earlier wave serves for the
 *   target's pods: ScalingActive=False (FailedGetPodsMetric), so it never scales on that metric
 *   and never scales down (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go);
 *   Argo CD still reports it Healthy (gitops-engine pkg/health/health_hpa.go: AbleToScale=True
 *   comes first), so the check is the only place it shows.
 * - ScaledObject: resource_customizations/keda.sh/ScaledObject/health.lua (Ready=False ->
 *   Degraded) when a trigger's TriggerAuthentication does not exist.
 * - Charts whose values name an existing Secret (`grafana.admin.existingSecret`): the chart's
 *   Deployment, as above.
 */
import { arr, idOf, kindOf, namespaceOf, num, obj, objs, str, type Obj } from "../policy/util.js";
import { podTemplate, type ClusterPlan, type Part } from "../bootstrap/plan.js";
import { memoByIdentity } from "../memo.js";
import { available, describeProducers, type ProducedKind } from "./producers.js";
import { hpaConditionsWithFailedMetric, hpaHealth } from "./argo-health.js";
import { gatewayBlockers, pvcBlockers } from "./resources.js";
import { certificateHealth, readyConditionHealth, scaledObjectHealth } from "./crd-health.js";
import type { Blocker, HealthStatus } from "./blocker.js";
import { ordersOf } from "./shim.js";
import { daemonSetHealth, deploymentHealth, jobHealth, podHealth, replicaSetHealth, statefulSetHealth } from "./builtin.js";

export type { Blocker, HealthStatus } from "./blocker.js";

const asStatus = (s: string): HealthStatus => (s === "Degraded" ? "Degraded" : s === "Healthy" ? "Healthy" : "Progressing");
/** ESO sets Ready=False (SecretSyncedError) when its store is missing: ExternalSecret/health.lua's verdict. */
const EXTERNAL_SECRET_WITHOUT_STORE = asStatus(
  readyConditionHealth({ status: { conditions: [{ type: "Ready", status: "False" }] } }, "").status,
);
/** A Certificate whose request cannot be issued stays Issuing=True: Certificate/health.lua's verdict. */
const CERTIFICATE_NOT_ISSUED = asStatus(certificateHealth({ status: { conditions: [{ type: "Issuing", status: "True" }] } }).status);
/** KEDA sets Ready=False when a trigger's authentication is missing: ScaledObject/health.lua's verdict. */
const SCALED_OBJECT_WITHOUT_AUTH = asStatus(scaledObjectHealth({ status: { conditions: [{ type: "Ready", status: "False" }] } }).status);

interface Need {
  kind: ProducedKind;
  namespace: string | undefined;
  name: string;
  path: string;
}

/** Secret and ConfigMap references a pod cannot start without (not `optional: true`). */
export function podReferences(template: Obj, namespace: string, base: string): Need[] {
  const spec = obj(template.spec);
  const out: Need[] = [];
  const need = (kind: "Secret" | "ConfigMap", name: string | undefined, optional: unknown, path: string): void => {
    if (name !== undefined && optional !== true) out.push({ kind, namespace, name, path: `${base}.${path}` });
  };
  for (const field of ["initContainers", "containers"] as const)
    objs(spec[field]).forEach((c, ci) => {
      objs(c.env).forEach((e, ei) => {
        const from = obj(e.valueFrom);
        const s = obj(from.secretKeyRef);
        const m = obj(from.configMapKeyRef);
        need("Secret", str(s.name), s.optional, `${field}[${ci}].env[${ei}].valueFrom.secretKeyRef`);
        need("ConfigMap", str(m.name), m.optional, `${field}[${ci}].env[${ei}].valueFrom.configMapKeyRef`);
      });
      objs(c.envFrom).forEach((e, ei) => {
        const s = obj(e.secretRef);
        const m = obj(e.configMapRef);
        need("Secret", str(s.name), s.optional, `${field}[${ci}].envFrom[${ei}].secretRef`);
        need("ConfigMap", str(m.name), m.optional, `${field}[${ci}].envFrom[${ei}].configMapRef`);
      });
    });
  objs(spec.volumes).forEach((v, vi) => {
    const s = obj(v.secret);
    const m = obj(v.configMap);
    need("Secret", str(s.secretName), s.optional, `volumes[${vi}].secret`);
    need("ConfigMap", str(m.name), m.optional, `volumes[${vi}].configMap`);
    objs(obj(v.projected).sources).forEach((src, si) => {
      const ps = obj(src.secret);
      const pm = obj(src.configMap);
      need("Secret", str(ps.name), ps.optional, `volumes[${vi}].projected.sources[${si}].secret`);
      need("ConfigMap", str(pm.name), pm.optional, `volumes[${vi}].projected.sources[${si}].configMap`);
    });
  });
  return out;
}

const WORKLOAD_HEALTH: Readonly<Record<string, string>> = {
  Deployment: "gitops-engine pkg/health/health_deployment.go",
  StatefulSet: "gitops-engine pkg/health/health_statefulset.go",
  DaemonSet: "gitops-engine pkg/health/health_daemonset.go",
  Job: "gitops-engine pkg/health/health_job.go",
  CronJob: "argo-cd resource_customizations/batch/CronJob/health.lua",
  ReplicaSet: "gitops-engine pkg/health/health_replicaset.go",
  Pod: "gitops-engine pkg/health/health_pod.go",
};

function missing(
  plan: ClusterPlan,
  part: Part,
  o: Obj | string,
  need: Need,
  rule: string,
  status: HealthStatus,
  what: string,
  source: string,
): Blocker {
  const ref = `${need.kind} ${need.namespace ? `${need.namespace}/` : ""}${need.name}`;
  return {
    rule,
    part,
    object: typeof o === "string" ? o : idOf(o),
    path: need.path,
    status,
    waitsFor: ref,
    message: `${what} needs ${ref}: ${describeProducers(plan, need.kind, need.namespace, need.name)} wave ${part.wave}; it stays ${status} (${source}) and ${part.name} never becomes Healthy`,
  };
}

/**
 * The health Argo CD reports for a workload whose pods wait in CreateContainerConfigError: the
 * ported built-in health (builtin.ts) of the status the controllers then publish (pods never
 * available; a Pod itself waiting with that reason).
 */
export function stuckWorkloadHealth(o: Obj): HealthStatus {
  const replicas = num(obj(o.spec).replicas) ?? 1;
  const live = { ...o, metadata: { ...obj(o.metadata), generation: 1 } };
  const h = (() => {
    switch (kindOf(o)) {
      case "Deployment":
        return deploymentHealth({ ...live, status: { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: 0 } });
      case "StatefulSet":
        return statefulSetHealth({ ...live, status: { observedGeneration: 1, readyReplicas: 0 } });
      case "DaemonSet":
        return daemonSetHealth({
          ...live,
          status: { observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 0 },
        });
      case "ReplicaSet":
        return replicaSetHealth({ ...live, status: { observedGeneration: 1, availableReplicas: 0 } });
      case "Job":
        return jobHealth({ ...live, status: { active: 1 } });
      default:
        return podHealth({
          spec: obj(podTemplate(o)?.spec),
          status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "CreateContainerConfigError" } } }] },
        });
    }
  })();
  return h.status === "Degraded" ? "Degraded" : h.status === "Healthy" ? "Healthy" : "Progressing";
}

function workloadBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  const t = podTemplate(o);
  const source = WORKLOAD_HEALTH[kindOf(o)];
  if (!t || !source) return [];
  const status = stuckWorkloadHealth(o);
  const base = kindOf(o) === "Pod" ? "spec" : kindOf(o) === "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
  return podReferences(t, namespaceOf(o), base)
    .filter((n) => !available(plan, part, n.kind, n.namespace, n.name))
    .map((n) =>
      missing(
        plan,
        part,
        o,
        n,
        n.kind === "Secret" ? "health-secret" : "health-config-map",
        status,
        "its pods",
        `kubelet CreateContainerConfigError; ${source}`,
      ),
    );
}

function externalSecretBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  if (kindOf(o) !== "ExternalSecret") return [];
  const ref = obj(obj(o.spec).secretStoreRef);
  const kind = str(ref.kind) === "ClusterSecretStore" ? "ClusterSecretStore" : "SecretStore";
  const need: Need = {
    kind,
    namespace: kind === "SecretStore" ? namespaceOf(o) : undefined,
    name: str(ref.name) ?? "",
    path: "spec.secretStoreRef",
  };
  if (available(plan, part, need.kind, need.namespace, need.name)) return [];
  return [
    missing(
      plan,
      part,
      o,
      need,
      "health-secret-store",
      EXTERNAL_SECRET_WITHOUT_STORE,
      "it",
      "argo-cd resource_customizations/external-secrets.io/ExternalSecret/health.lua",
    ),
  ];
}

function scaledObjectBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  if (kindOf(o) !== "ScaledObject" && kindOf(o) !== "ScaledJob") return [];
  return objs(obj(o.spec).triggers).flatMap((t, i) => {
    const ref = obj(t.authenticationRef);
    const name = str(ref.name);
    if (name === undefined) return [];
    const kind = str(ref.kind) === "ClusterTriggerAuthentication" ? "ClusterTriggerAuthentication" : "TriggerAuthentication";
    const need: Need = {
      kind,
      namespace: kind === "TriggerAuthentication" ? namespaceOf(o) : undefined,
      name,
      path: `spec.triggers[${i}].authenticationRef`,
    };
    if (available(plan, part, need.kind, need.namespace, need.name)) return [];
    return [
      missing(
        plan,
        part,
        o,
        need,
        "health-trigger-auth",
        SCALED_OBJECT_WITHOUT_AUTH,
        "its scaler",
        "argo-cd resource_customizations/keda.sh/ScaledObject/health.lua",
      ),
    ];
  });
}

/** The ACME solvers of a ClusterIssuer/Issuer the plan makes, or undefined when it is not ACME or not rendered. */
function acmeSolvers(plan: ClusterPlan, kind: string, namespace: string | undefined, name: string): Obj[] | undefined {
  for (const p of plan.parts)
    for (const x of p.objects as Obj[])
      if (kindOf(x) === kind && (str(obj(x.metadata).name) ?? "") === name && (kind === "ClusterIssuer" || namespaceOf(x) === namespace)) {
        const acme = obj(obj(x.spec).acme);
        return Object.keys(acme).length > 0 ? objs(acme.solvers) : undefined;
      }
  return undefined;
}

/**
 * Whether an ACME solver selects a DNS name: no selector selects all; `dnsNames` exactly,
 * `dnsZones` the zone and its subdomains (cert-manager pkg/apis/acme/v1 CertificateDNSNameSelector).
 */
export function solverSelects(solver: Obj, dnsName: string): boolean {
  const sel = obj(solver.selector);
  const names = arr(sel.dnsNames).filter((x): x is string => typeof x === "string");
  const zones = arr(sel.dnsZones).filter((x): x is string => typeof x === "string");
  if (names.length === 0 && zones.length === 0) return true;
  return names.includes(dnsName) || zones.some((z) => dnsName === z || dnsName.endsWith(`.${z}`));
}

function certificateBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  const source = "argo-cd resource_customizations/cert-manager.io/Certificate/health.lua";
  return ordersOf(o).flatMap((r) => {
    const kind = r.issuerKind === "ClusterIssuer" ? "ClusterIssuer" : "Issuer";
    const need: Need = { kind, namespace: kind === "Issuer" ? namespaceOf(o) : undefined, name: r.issuer, path: r.path };
    if (!available(plan, part, kind, need.namespace, r.issuer))
      return [missing(plan, part, o, need, "health-issuer", CERTIFICATE_NOT_ISSUED, "its certificate", source)];
    const solvers = acmeSolvers(plan, kind, need.namespace, r.issuer);
    if (solvers === undefined) return [];
    return r.dnsNames
      .filter((n) => !solvers.some((s) => solverSelects(s, n)))
      .map((n) => ({
        rule: "health-acme-solver",
        part,
        object: idOf(o),
        path: r.path,
        status: CERTIFICATE_NOT_ISSUED,
        waitsFor: `an ACME solver of ${kind} ${r.issuer} for ${n}`,
        message: `no solver of ${kind} ${r.issuer} selects ${n}: cert-manager cannot create the challenge, the Certificate stays Progressing (${source}) and ${part.name} never becomes Healthy`,
      }));
  });
}

function chartSecretBlockers(plan: ClusterPlan, part: Part): Blocker[] {
  return (part.model?.needsSecrets ?? [])
    .filter((s) => !available(plan, part, "Secret", s.namespace, s.name))
    .map((s) =>
      missing(
        plan,
        part,
        s.consumer,
        { kind: "Secret", namespace: s.namespace, name: s.name, path: `spec.source.helm.values: ${s.path}` },
        "health-secret",
        stuckWorkloadHealth({ kind: s.consumer.split("/")[0] ?? "Deployment", spec: {} }),
        `its chart (${s.path})`,
        "kubelet CreateContainerConfigError; gitops-engine pkg/health/health_deployment.go",
      ),
    );
}

/** Pods metrics an HPA asks for that no adapter of an earlier wave serves for the target's own pods. */
function hpaBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  if (kindOf(o) !== "HorizontalPodAutoscaler") return [];
  const served = plan.parts.filter((p) => p.wave < part.wave).flatMap((p) => p.provides.podMetrics ?? []);
  return objs(obj(o.spec).metrics).flatMap((m, i) => {
    if (str(m.type) !== "Pods") return [];
    const name = str(obj(obj(m.pods).metric).name) ?? "";
    const rules = served.filter((s) => s.name === name);
    if (rules.some((s) => s.workloadPods)) return [];
    const why =
      rules.length > 0
        ? `the adapter serves ${name} from ${rules[0]!.series} by its ${rules[0]!.namespaceLabel}/${rules[0]!.podLabel} labels, which name the exporter's pod, not ${namespaceOf(o)}'s`
        : `no prometheus-adapter rule of an earlier wave serves ${name}`;
    const argo = hpaHealth(hpaConditionsWithFailedMetric("Pods")).status;
    return [
      {
        rule: "health-hpa-metric",
        part,
        object: idOf(o),
        path: `spec.metrics[${i}].pods.metric.name`,
        status: argo === "Healthy" ? ("Healthy" as const) : ("Degraded" as const),
        waitsFor: `custom metric ${name}`,
        message: `${why}: the HPA reports ScalingActive=False (FailedGetPodsMetric), never scales on ${name} and never scales down (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go), while Argo CD shows it ${argo} (gitops-engine pkg/health/health_hpa.go); declare it in generators/addons/metrics.ts`,
      },
    ];
  });
}

/** Every blocker of a plan, per part in plan order. */
export const blockers = memoByIdentity((plan: ClusterPlan): Blocker[] =>
  plan.parts.flatMap((part) => [
    ...chartSecretBlockers(plan, part),
    ...pvcBlockers(plan, part),
    ...(part.objects as Obj[]).flatMap((o) => [
      ...workloadBlockers(plan, part, o),
      ...externalSecretBlockers(plan, part, o),
      ...scaledObjectBlockers(plan, part, o),
      ...certificateBlockers(plan, part, o),
      ...hpaBlockers(plan, part, o),
      ...gatewayBlockers(plan, part, o),
    ]),
  ]),
);
