/**
 * Blockers of the kinds whose health depends on something other than a pod reference, decided
 * by the ported health (builtin.ts, crd-health.ts) on the status the controllers publish when
 * the dependency is missing:
 *
 * - A Gateway API Gateway whose listener names a certificate Secret nobody makes by its wave:
 *   the listener reports ResolvedRefs=False (InvalidCertificateRef; gateway-api
 *   apis/v1/gateway_types.go ListenerReasonInvalidCertificateRef), so
 *   gateway.networking.k8s.io/Gateway/health.lua is Degraded.
 * - A PersistentVolumeClaim of a WaitForFirstConsumer class that no pod of its Application
 *   mounts: it stays Pending until a pod is scheduled (kubernetes/kubernetes
 *   pkg/controller/volume/persistentvolume/pv_controller.go, "waiting for first consumer"), and
 *   gitops-engine pkg/health/health_pvc.go reports Pending as Progressing, so its Application
 *   never becomes Healthy at its wave.
 */
import { idOf, kindOf, namespaceOf, nameOf, obj, objs, str, type Obj } from "../policy/util.js";
import { podTemplate, type ClusterPlan, type Part } from "../bootstrap/plan.js";
import { available, describeProducers } from "./producers.js";
import { gatewayHealth } from "./crd-health.js";
import { pvcHealth } from "./builtin.js";
import type { Blocker, HealthStatus } from "./blocker.js";

const asBlocker = (s: string): HealthStatus => (s === "Degraded" ? "Degraded" : s === "Healthy" ? "Healthy" : "Progressing");

/** The verdict of a Gateway one of whose listeners cannot resolve its certificate. */
const GATEWAY_WITHOUT_CERTIFICATE = asBlocker(
  gatewayHealth({
    status: {
      conditions: [
        { type: "Accepted", status: "True" },
        { type: "Programmed", status: "True" },
      ],
      listeners: [{ conditions: [{ type: "ResolvedRefs", status: "False", reason: "InvalidCertificateRef" }] }],
    },
  }).status,
);

export function gatewayBlockers(plan: ClusterPlan, part: Part, o: Obj): Blocker[] {
  if (kindOf(o) !== "Gateway" || !str(o.apiVersion)?.startsWith("gateway.networking.k8s.io/")) return [];
  return objs(obj(o.spec).listeners).flatMap((l, i) =>
    objs(obj(l.tls).certificateRefs).flatMap((c, j) => {
      if ((str(c.kind) ?? "Secret") !== "Secret" || (str(c.group) ?? "") !== "") return [];
      const ns = str(c.namespace) ?? namespaceOf(o);
      const name = str(c.name) ?? "";
      if (available(plan, part, "Secret", ns, name)) return [];
      return [
        {
          rule: "health-gateway-certificate",
          part,
          object: idOf(o),
          path: `spec.listeners[${i}].tls.certificateRefs[${j}]`,
          status: GATEWAY_WITHOUT_CERTIFICATE,
          waitsFor: `Secret ${ns}/${name}`,
          message: `listener ${str(l.name) ?? i} needs Secret ${ns}/${name}: ${describeProducers(plan, "Secret", ns, name)} wave ${part.wave}; the listener reports ResolvedRefs=False (InvalidCertificateRef), the Gateway is ${GATEWAY_WITHOUT_CERTIFICATE} (argo-cd resource_customizations/gateway.networking.k8s.io/Gateway/health.lua) and ${part.name} never becomes Healthy`,
        },
      ];
    }),
  );
}

/** The binding mode of a StorageClass the plan renders, by name (or the default class's when name is undefined). */
function bindingMode(plan: ClusterPlan, name: string | undefined): string | undefined {
  for (const p of plan.parts)
    for (const sc of p.objects as Obj[]) {
      if (kindOf(sc) !== "StorageClass") continue;
      const isDefault = str(obj(obj(sc.metadata).annotations)["storageclass.kubernetes.io/is-default-class"]) === "true";
      if (name === undefined ? isDefault : nameOf(sc) === name) return str(sc.volumeBindingMode) ?? "Immediate";
    }
  return undefined;
}

/** Claim names the pods of a part mount, per namespace. */
function mountedClaims(part: Part): Set<string> {
  const out = new Set<string>();
  for (const o of part.objects as Obj[]) {
    const t = podTemplate(o);
    if (!t) continue;
    for (const v of objs(obj(t.spec).volumes)) {
      const claim = str(obj(v.persistentVolumeClaim).claimName);
      if (claim !== undefined) out.add(`${namespaceOf(o)}/${claim}`);
    }
  }
  return out;
}

export function pvcBlockers(plan: ClusterPlan, part: Part): Blocker[] {
  // Add-on parts list their charts' claims from volumeClaimTemplates, which their own pods consume.
  if (part.model !== undefined) return [];
  const claims = (part.objects as Obj[]).filter((o) => kindOf(o) === "PersistentVolumeClaim");
  if (claims.length === 0) return [];
  const mounted = mountedClaims(part);
  const status = asBlocker(pvcHealth({ status: { phase: "Pending" } }).status);
  return claims
    .filter((c) => !mounted.has(`${namespaceOf(c)}/${nameOf(c)}`))
    .filter((c) => bindingMode(plan, str(obj(c.spec).storageClassName)) === "WaitForFirstConsumer")
    .map((c) => ({
      rule: "health-pvc-consumer",
      part,
      object: idOf(c),
      path: "spec.storageClassName",
      status,
      waitsFor: `a pod of ${part.name} mounting ${nameOf(c)}`,
      message: `its class binds on first consumer and no pod of ${part.name} mounts it: it stays Pending, which gitops-engine pkg/health/health_pvc.go reports ${status} (kubernetes/kubernetes pkg/controller/volume/persistentvolume/pv_controller.go waits for the first consumer), so ${part.name} never becomes Healthy`,
    }));
}
