/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_seccompProfile_restricted.go: the
 * pod sets RuntimeDefault or Localhost, or every container does; an explicit Unconfined on a
 * container fails even under a good pod value. Windows pods are exempt since 1.25.
 */
import { containers, obj, securityContext, text, windows, type PodCheck, type Violation } from "./pod.js";

const ok = (t: unknown): boolean => t === "RuntimeDefault" || t === "Localhost";

export const seccompRestricted: PodCheck = {
  id: "seccompProfile_restricted",
  rule: "pss-seccomp",
  level: "restricted",
  upstream: "check_seccompProfile_restricted.go",
  description: "The seccomp profile is RuntimeDefault or Localhost (pod-level, or on every container).",
  fix: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
  check: (pod) => {
    if (windows(pod)) return [];
    const out: Violation[] = [];
    const podType = obj(securityContext(pod.spec).seccompProfile).type;
    if (podType !== undefined && !ok(podType))
      out.push({ path: "spec.securityContext.seccompProfile.type", message: `pod must not set seccompProfile.type to ${text(podType)}` });
    for (const { c, path, name } of containers(pod)) {
      const t = obj(securityContext(c).seccompProfile).type;
      if (t !== undefined ? !ok(t) : podType === undefined)
        out.push({
          path: `${path}.securityContext.seccompProfile.type`,
          message: `container "${name}" seccomp profile is ${t === undefined ? "unset" : text(t)}`,
        });
    }
    return out;
  },
};
