/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_runAsNonRoot.go: runAsNonRoot true
 * on the pod, or on every container that does not inherit it; an explicit false anywhere fails.
 * User-namespaced pods (hostUsers: false) are exempt.
 */
import { containers, securityContext, userNamespaced, type PodCheck, type Violation } from "./pod.js";

export const runAsNonRoot: PodCheck = {
  id: "runAsNonRoot",
  rule: "pss-run-as-non-root",
  level: "restricted",
  upstream: "check_runAsNonRoot.go",
  description: "Every container runs with runAsNonRoot: true (set on the pod or the container, never set to false).",
  fix: "Set securityContext.runAsNonRoot: true on the pod.",
  check: (pod) => {
    if (userNamespaced(pod)) return [];
    const out: Violation[] = [];
    const podValue = securityContext(pod.spec).runAsNonRoot;
    if (podValue === false) out.push({ path: "spec.securityContext.runAsNonRoot", message: "pod must not set runAsNonRoot=false" });
    for (const { c, path, name } of containers(pod)) {
      const v = securityContext(c).runAsNonRoot;
      if (v === false)
        out.push({ path: `${path}.securityContext.runAsNonRoot`, message: `container "${name}" must not set runAsNonRoot=false` });
      else if (v === undefined && podValue === undefined)
        out.push({
          path: `${path}.securityContext.runAsNonRoot`,
          message: `container "${name}" must set runAsNonRoot=true (on the pod or the container)`,
        });
    }
    return out;
  },
};
