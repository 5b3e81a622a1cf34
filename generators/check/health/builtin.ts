/**
 * Argo CD's built-in health, ported from gitops-engine pkg/health (health_*.go) over a live
 * object's spec and status. Each function cites its file; cases from pkg/health/testdata are in
 * test/health/ports.test.ts. The simulation (model.ts) asks these for the verdict of the status
 * it predicts at a wave.
 */
import { arr, num, obj, objs, str, type Obj } from "../policy/util.js";
import type { ArgoHealth } from "./argo-health.js";

export interface Health {
  status: ArgoHealth;
  message?: string;
}

const n = (v: unknown): number => num(v) ?? 0;
const generation = (o: Obj): number => n(obj(o.metadata).generation);
const conditionOf = (status: Obj, type: string): Obj | undefined => objs(status.conditions).find((c) => str(c.type) === type);

/** health_deployment.go getAppsv1DeploymentHealth. */
export function deploymentHealth(o: Obj): Health {
  const spec = obj(o.spec);
  const status = obj(o.status);
  if (spec.paused === true) return { status: "Suspended", message: "Deployment is paused" };
  if (generation(o) > n(status.observedGeneration))
    return { status: "Progressing", message: "Waiting for rollout to finish: observed deployment generation less than desired generation" };
  const replicas = num(spec.replicas);
  if (str(conditionOf(status, "Progressing")?.reason) === "ProgressDeadlineExceeded")
    return { status: "Degraded", message: `Deployment "${str(obj(o.metadata).name)}" exceeded its progress deadline` };
  if (replicas !== undefined && n(status.updatedReplicas) < replicas)
    return { status: "Progressing", message: "Waiting for rollout to finish" };
  if (n(status.replicas) > n(status.updatedReplicas)) return { status: "Progressing", message: "old replicas are pending termination" };
  if (n(status.availableReplicas) < n(status.updatedReplicas))
    return { status: "Progressing", message: "updated replicas are not all available" };
  return { status: "Healthy" };
}

/** health_statefulset.go getAppsv1StatefulSetHealth. */
export function statefulSetHealth(o: Obj): Health {
  const spec = obj(o.spec);
  const status = obj(o.status);
  if (n(status.observedGeneration) === 0 || generation(o) > n(status.observedGeneration))
    return { status: "Progressing", message: "Waiting for statefulset spec update to be observed..." };
  const replicas = num(spec.replicas);
  if (replicas !== undefined && n(status.readyReplicas) < replicas)
    return { status: "Progressing", message: `Waiting for ${replicas - n(status.readyReplicas)} pods to be ready...` };
  const strategy = obj(spec.updateStrategy);
  const rolling = strategy.rollingUpdate === undefined ? undefined : obj(strategy.rollingUpdate);
  if (str(strategy.type) === "RollingUpdate" && rolling !== undefined) {
    const partition = num(rolling.partition);
    if (replicas !== undefined && partition !== undefined && n(status.updatedReplicas) < replicas - partition)
      return { status: "Progressing", message: "Waiting for partitioned roll out to finish" };
    return { status: "Healthy", message: "partitioned roll out complete" };
  }
  if (str(strategy.type) === "OnDelete") return { status: "Healthy", message: `statefulset has ${n(status.readyReplicas)} ready pods` };
  if (str(status.updateRevision) !== str(status.currentRevision))
    return { status: "Progressing", message: "waiting for statefulset rolling update to complete" };
  return { status: "Healthy" };
}

/** health_daemonset.go getAppsv1DaemonSetHealth. */
export function daemonSetHealth(o: Obj): Health {
  const status = obj(o.status);
  if (generation(o) > n(status.observedGeneration))
    return { status: "Progressing", message: "Waiting for rollout to finish: observed daemon set generation less than desired generation" };
  if (str(obj(obj(o.spec).updateStrategy).type) === "OnDelete") return { status: "Healthy" };
  if (n(status.updatedNumberScheduled) < n(status.desiredNumberScheduled))
    return { status: "Progressing", message: "Waiting for daemon set rollout to finish: not all new pods are updated" };
  if (n(status.numberAvailable) < n(status.desiredNumberScheduled))
    return { status: "Progressing", message: "Waiting for daemon set rollout to finish: not all updated pods are available" };
  return { status: "Healthy" };
}

/** health_replicaset.go getAppsv1ReplicaSetHealth. */
export function replicaSetHealth(o: Obj): Health {
  const status = obj(o.status);
  if (generation(o) > n(status.observedGeneration))
    return {
      status: "Progressing",
      message: "Waiting for rollout to finish: observed replica set generation less than desired generation",
    };
  const failure = conditionOf(status, "ReplicaFailure");
  if (failure && str(failure.status) === "True") return { status: "Degraded", message: str(failure.message) };
  const replicas = num(obj(o.spec).replicas);
  if (replicas !== undefined && n(status.availableReplicas) < replicas)
    return { status: "Progressing", message: "Waiting for rollout to finish" };
  return { status: "Healthy" };
}

/** health_service.go getCorev1ServiceHealth: a LoadBalancer is Progressing until it has an ingress. */
export function serviceHealth(o: Obj): Health {
  if (str(obj(o.spec).type) !== "LoadBalancer") return { status: "Healthy" };
  return arr(obj(obj(o.status).loadBalancer).ingress).length > 0 ? { status: "Healthy" } : { status: "Progressing" };
}

/** health_ingress.go getIngressHealth: Progressing until the controller publishes a load balancer. */
export function ingressHealth(o: Obj): Health {
  return arr(obj(obj(o.status).loadBalancer).ingress).length > 0 ? { status: "Healthy" } : { status: "Progressing" };
}

/** health_pvc.go getCorev1PVCHealth: Lost Degraded, Pending Progressing, Bound Healthy, else Unknown. */
export function pvcHealth(o: Obj): Health {
  const phase = str(obj(o.status).phase);
  return { status: phase === "Lost" ? "Degraded" : phase === "Pending" ? "Progressing" : phase === "Bound" ? "Healthy" : "Unknown" };
}

/** health_job.go getBatchv1JobHealth. */
export function jobHealth(o: Obj): Health {
  let failed = false;
  let complete = false;
  let suspended = false;
  let message: string | undefined;
  for (const c of objs(obj(o.status).conditions)) {
    const type = str(c.type);
    if (type === "Failed") {
      failed = true;
      complete = true;
      message = str(c.message);
    } else if (type === "Complete" || type === "Suspended") {
      complete = true;
      if (!failed) message = str(c.message);
      if (type === "Suspended" && str(c.status) === "True") suspended = true;
    }
  }
  if (!complete) return { status: "Progressing", message };
  if (failed) return { status: "Degraded", message };
  if (suspended) return { status: "Suspended", message };
  return { status: "Healthy", message };
}

/**
 * health_pod.go getCorev1PodHealth: under restartPolicy Always a container waiting with a reason
 * `Err*`, `*Error` (CreateContainerConfigError) or `*BackOff` is Degraded first; then Pending
 * Progressing, Succeeded Healthy, Failed Degraded; Running under Always is Healthy when Ready,
 * Degraded after a container terminated, else Progressing; Running under OnFailure/Never Progressing.
 */
export function podHealth(o: Obj): Health {
  const status = obj(o.status);
  const always = (str(obj(o.spec).restartPolicy) ?? "Always") === "Always";
  if (always) {
    const waiting = objs(status.containerStatuses)
      .map((c) => obj(obj(c.state).waiting))
      .filter((w) => {
        const r = str(w.reason) ?? "";
        return r.startsWith("Err") || r.endsWith("Error") || r.endsWith("BackOff");
      });
    if (waiting.length > 0) return { status: "Degraded", message: waiting.map((w) => str(w.message) ?? "").join(", ") };
  }
  switch (str(status.phase)) {
    case "Pending":
      return { status: "Progressing", message: str(status.message) };
    case "Succeeded":
      return { status: "Healthy", message: str(status.message) };
    case "Failed":
      return { status: "Degraded", message: str(status.message) };
    case "Running":
      if (!always) return { status: "Progressing", message: str(status.message) };
      if (str(conditionOf(status, "Ready")?.status) === "True") return { status: "Healthy" };
      if (objs(status.containerStatuses).some((c) => obj(c.lastState).terminated !== undefined)) return { status: "Degraded" };
      return { status: "Progressing" };
    default:
      return { status: "Unknown" };
  }
}

/** health_apiservice.go getApiregistrationv1APIServiceHealth: Available True Healthy, else Progressing. */
export function apiServiceHealth(o: Obj): Health {
  const c = conditionOf(obj(o.status), "Available");
  if (!c) return { status: "Progressing", message: "Waiting to be processed" };
  return { status: str(c.status) === "True" ? "Healthy" : "Progressing", message: `${str(c.reason) ?? ""}: ${str(c.message) ?? ""}` };
}

/**
 * An Application's health as the root sees it: its own `status.health.status`, Healthy when
 * absent. Argo CD 1.8 removed the built-in Application health; this repository restores it in
 * argocd-cm (`resource.customizations.health.argoproj.io_Application`, argo-cd docs
 * operator-manual/health.md "Argo CD App"), whose script this is.
 */
export function applicationHealth(o: Obj): Health {
  const h = obj(obj(o.status).health);
  const s = str(h.status) as ArgoHealth | undefined;
  return s === undefined ? { status: "Healthy" } : { status: s, message: str(h.message) };
}
