/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_hostProbesAndhostLifecycle.go
 * (baseline since 1.34): probes and lifecycle handlers may not set `host`, which would let the
 * kubelet reach any address on the pod's behalf.
 */
import { containers, obj, type PodCheck, type Violation } from "./pod.js";

export const hostProbes: PodCheck = {
  id: "hostProbesAndhostLifecycle",
  rule: "pss-host-probes",
  level: "baseline",
  upstream: "check_hostProbesAndhostLifecycle.go",
  description: "Probes and lifecycle hooks set no httpGet.host or tcpSocket.host.",
  fix: "Remove `host` from the probe or hook: the kubelet then calls the pod's own IP.",
  check: (pod) =>
    containers(pod).flatMap(({ c, path, name }) => {
      const out: Violation[] = [];
      const handlers: [string, unknown][] = [
        ...(["livenessProbe", "readinessProbe", "startupProbe"] as const).map((p): [string, unknown] => [p, c[p]]),
        ...(["postStart", "preStop"] as const).map((h): [string, unknown] => [`lifecycle.${h}`, obj(c.lifecycle)[h]]),
      ];
      for (const [field, handler] of handlers)
        for (const kind of ["httpGet", "tcpSocket"] as const) {
          const host = obj(obj(handler)[kind]).host;
          if (typeof host === "string" && host !== "")
            out.push({ path: `${path}.${field}.${kind}.host`, message: `container "${name}" ${field} ${kind} host ${host}` });
        }
      return out;
    }),
};
