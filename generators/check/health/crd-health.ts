/**
 * Argo CD's health of the CRD kinds the fleet emits, ported from argo-cd
 * resource_customizations/<group>/<kind>/health.lua (written in TypeScript from reading them;
 * cases from their testdata in test/health/ports.test.ts), and the kinds that have none: Argo CD
 * reports those Healthy once they exist (argo-cd docs operator-manual/health.md: a resource
 * with no health check is not assessed), made explicit in EXISTENCE_ONLY.
 */
import { obj, objs, str, type Obj } from "../policy/util.js";
import type { Health } from "./builtin.js";

const conditions = (o: Obj): Obj[] => objs(obj(o.status).conditions);

/**
 * The common shape of cert-manager.io/ClusterIssuer and Issuer, external-secrets.io ExternalSecret,
 * SecretStore, ClusterSecretStore and PushSecret, karpenter.sh/NodePool and
 * karpenter.k8s.aws/EC2NodeClass health.lua: the first Ready condition decides (False Degraded,
 * True Healthy); none is Progressing.
 */
export function readyConditionHealth(o: Obj, waiting: string): Health {
  for (const c of conditions(o)) {
    if (str(c.type) !== "Ready") continue;
    if (str(c.status) === "False") return { status: "Degraded", message: str(c.message) };
    if (str(c.status) === "True") return { status: "Healthy", message: str(c.message) };
  }
  return { status: "Progressing", message: waiting };
}

/** cert-manager.io/Certificate/health.lua: Issuing True is Progressing first, then Ready decides. */
export function certificateHealth(o: Obj): Health {
  const issuing = conditions(o).find((c) => str(c.type) === "Issuing" && str(c.status) === "True");
  if (issuing) return { status: "Progressing", message: str(issuing.message) };
  return readyConditionHealth(o, "Waiting for certificate");
}

/** keda.sh/ScaledObject/health.lua (ScaledJob alike): Ready False or Fallback True Degraded; Ready True Healthy, Suspended when Paused. */
export function scaledObjectHealth(o: Obj): Health {
  let healthy = false;
  let degraded = false;
  let paused = false;
  for (const c of conditions(o)) {
    const t = str(c.type);
    const s = str(c.status);
    if (t === "Ready" && s === "False") degraded = true;
    if (t === "Ready" && s === "True") healthy = true;
    if (t === "Paused" && s === "True") paused = true;
    if (t === "Fallback" && s === "True") degraded = true;
  }
  if (degraded) return { status: "Degraded" };
  if (healthy) return { status: paused ? "Suspended" : "Healthy" };
  return { status: "Progressing", message: "Creating HorizontalPodAutoscaler Object" };
}

const falseCondition = (list: readonly Obj[], type: string): Obj | undefined =>
  list.find((c) => str(c.type) === type && str(c.status) === "False");

/**
 * gateway.networking.k8s.io/Gateway/health.lua: ResolvedRefs then Accepted False Degraded,
 * Programmed not True Progressing, on the Gateway and then on each listener; Healthy once it has
 * conditions or listeners. A listener whose certificateRef Secret does not exist has
 * ResolvedRefs False (InvalidCertificateRef), so the Gateway is Degraded until the Secret exists.
 */
export function gatewayHealth(o: Obj): Health {
  const status = obj(o.status);
  if (o.status === undefined) return { status: "Progressing", message: "Waiting for Gateway status" };
  const scopes: { list: Obj[]; prefix: string }[] = [
    { list: objs(status.conditions), prefix: "" },
    ...objs(status.listeners).map((l) => ({ list: objs(l.conditions), prefix: "Listener: " })),
  ];
  for (const { list, prefix } of scopes) {
    for (const type of ["ResolvedRefs", "Accepted"]) {
      const c = falseCondition(list, type);
      if (c) return { status: "Degraded", message: `${prefix}${str(c.message) ?? `Failed condition: ${type}`}` };
    }
    const p = list.find((c) => str(c.type) === "Programmed" && str(c.status) !== "True");
    if (p) return { status: "Progressing", message: `${prefix}${str(p.message) ?? "still being programmed"}` };
  }
  if (status.conditions !== undefined || objs(status.listeners).length > 0) return { status: "Healthy", message: "Gateway is healthy" };
  return { status: "Progressing", message: "Waiting for Gateway status" };
}

/**
 * gateway.networking.k8s.io/HTTPRoute/health.lua: per parent whose conditions observed the
 * route's generation, ResolvedRefs then Accepted False Degraded, Programmed not True Progressing;
 * Healthy once one parent has observed conditions.
 */
export function httpRouteHealth(o: Obj): Health {
  const gen = obj(o.metadata).generation;
  const observed = (p: Obj): boolean => {
    if (gen === undefined) return true;
    const list = objs(p.conditions);
    if (list.length === 0) return false;
    return list.every((c) => c.observedGeneration === undefined || c.observedGeneration === gen);
  };
  const parents = objs(obj(o.status).parents);
  for (const p of parents) {
    if (p.conditions === undefined || !observed(p)) continue;
    const name = str(obj(p.parentRef).name) ?? "";
    for (const type of ["ResolvedRefs", "Accepted"]) {
      const c = falseCondition(objs(p.conditions), type);
      if (c) return { status: "Degraded", message: `Parent ${name}: ${str(c.message) ?? `Failed condition: ${type}`}` };
    }
    const prog = objs(p.conditions).find((c) => str(c.type) === "Programmed" && str(c.status) !== "True");
    if (prog) return { status: "Progressing", message: `Parent ${name}: ${str(prog.message) ?? "Route is still being programmed"}` };
  }
  if (parents.some((p) => objs(p.conditions).length > 0 && observed(p))) return { status: "Healthy", message: "HTTPRoute is healthy" };
  return { status: "Progressing", message: "Waiting for HTTPRoute status" };
}

/** postgresql.cnpg.io/Cluster/health.lua: the phase's verdict; hibernation and a disabled reconciliation loop first. */
const CNPG_PHASES: Readonly<Record<string, Health["status"]>> = {
  "Cluster in healthy state": "Healthy",
  "Setting up primary": "Progressing",
  "Creating a new replica": "Progressing",
  "Upgrading cluster": "Progressing",
  "Waiting for the instances to become active": "Progressing",
  "Promoting to primary cluster": "Progressing",
  "Switchover in progress": "Degraded",
  "Failing over": "Degraded",
  "Upgrading Postgres major version": "Degraded",
  "Cluster upgrade delayed": "Degraded",
  "Waiting for user action": "Degraded",
  "Primary instance is being restarted in-place": "Degraded",
  "Primary instance is being restarted without a switchover": "Degraded",
  "Cluster cannot execute instance online upgrade due to missing architecture binary": "Degraded",
  "Online upgrade in progress": "Degraded",
  "Applying configuration": "Degraded",
  "Unable to create required cluster objects": "Suspended",
  "Cluster cannot proceed to reconciliation due to an unknown plugin being required": "Suspended",
  "Cluster has incomplete or invalid image catalog": "Suspended",
  "Cluster is unrecoverable and needs manual intervention": "Suspended",
};

export function cnpgClusterHealth(o: Obj): Health {
  if (str(obj(obj(o.metadata).annotations)["cnpg.io/reconciliationLoop"]) === "disabled")
    return { status: "Suspended", message: "Cluster reconciliation is suspended" };
  const status = obj(o.status);
  const reason = str(status.phaseReason);
  if (status.conditions !== undefined) {
    const h = conditions(o).find((c) => str(c.type) === "cnpg.io/hibernation");
    if (h) return { status: str(h.status) === "True" ? "Suspended" : "Degraded", message: str(h.message) };
    return { status: CNPG_PHASES[str(status.phase) ?? ""] ?? "Unknown", message: reason };
  }
  return { status: "Progressing", message: reason };
}

/** The health function of a CRD kind by `group/Kind`, with the upstream file it ports. */
export const CRD_HEALTH: Readonly<Record<string, { health: (o: Obj) => Health; source: string }>> = {
  "cert-manager.io/Certificate": { health: certificateHealth, source: "cert-manager.io/Certificate/health.lua" },
  "cert-manager.io/ClusterIssuer": {
    health: (o) => readyConditionHealth(o, "Initializing ClusterIssuer"),
    source: "cert-manager.io/ClusterIssuer/health.lua",
  },
  "cert-manager.io/Issuer": { health: (o) => readyConditionHealth(o, "Initializing issuer"), source: "cert-manager.io/Issuer/health.lua" },
  "external-secrets.io/ExternalSecret": {
    health: (o) => readyConditionHealth(o, "Waiting for ExternalSecret"),
    source: "external-secrets.io/ExternalSecret/health.lua",
  },
  "external-secrets.io/SecretStore": {
    health: (o) => readyConditionHealth(o, "Waiting for SecretStore"),
    source: "external-secrets.io/SecretStore/health.lua",
  },
  "external-secrets.io/ClusterSecretStore": {
    health: (o) => readyConditionHealth(o, "Waiting for ClusterSecretStore"),
    source: "external-secrets.io/ClusterSecretStore/health.lua",
  },
  "external-secrets.io/PushSecret": {
    health: (o) => readyConditionHealth(o, "Waiting for PushSecret"),
    source: "external-secrets.io/PushSecret/health.lua",
  },
  "karpenter.sh/NodePool": {
    health: (o) => readyConditionHealth(o, "Waiting for NodePool to be ready"),
    source: "karpenter.sh/NodePool/health.lua",
  },
  "karpenter.k8s.aws/EC2NodeClass": {
    health: (o) => readyConditionHealth(o, "Waiting for EC2NodeClass to be ready"),
    source: "karpenter.k8s.aws/EC2NodeClass/health.lua",
  },
  "keda.sh/ScaledObject": { health: scaledObjectHealth, source: "keda.sh/ScaledObject/health.lua" },
  "keda.sh/ScaledJob": { health: scaledObjectHealth, source: "keda.sh/ScaledJob/health.lua" },
  "gateway.networking.k8s.io/Gateway": { health: gatewayHealth, source: "gateway.networking.k8s.io/Gateway/health.lua" },
  "gateway.networking.k8s.io/HTTPRoute": { health: httpRouteHealth, source: "gateway.networking.k8s.io/HTTPRoute/health.lua" },
  "postgresql.cnpg.io/Cluster": { health: cnpgClusterHealth, source: "postgresql.cnpg.io/Cluster/health.lua" },
};

/**
 * CRD kinds the fleet emits that have no health in argo-cd resource_customizations (checked
 * against its tree): Argo CD reports them Healthy as soon as they exist, so the simulation judges
 * them on existence alone (their prerequisites are the bootstrap pass's business).
 */
export const EXISTENCE_ONLY: readonly string[] = [
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "autoscaling.k8s.io/VerticalPodAutoscaler",
  "barmancloud.cnpg.io/ObjectStore",
  "keda.sh/TriggerAuthentication",
  "monitoring.coreos.com/PodMonitor",
  "monitoring.coreos.com/PrometheusRule",
  "monitoring.coreos.com/ServiceMonitor",
  "networking.istio.io/DestinationRule",
  "networking.istio.io/EnvoyFilter",
  "networking.istio.io/Gateway",
  "networking.istio.io/VirtualService",
  "postgresql.cnpg.io/Pooler",
  "postgresql.cnpg.io/ScheduledBackup",
  "security.istio.io/AuthorizationPolicy",
  "security.istio.io/PeerAuthentication",
  // resource_customizations/snapshot.storage.k8s.io has VolumeSnapshot only, not the class.
  "snapshot.storage.k8s.io/VolumeSnapshotClass",
  "telemetry.istio.io/Telemetry",
  // No velero.io directory in resource_customizations.
  "velero.io/BackupStorageLocation",
  "velero.io/Schedule",
];
