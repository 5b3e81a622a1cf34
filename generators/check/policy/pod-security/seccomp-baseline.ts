/** kubernetes/kubernetes .../pod-security-admission/policy/check_seccompProfile_baseline.go: no pod or container sets seccompProfile.type Unconfined. */
import { containers, obj, securityContext, type PodCheck, type Violation } from "./pod.js";

export const seccompBaseline: PodCheck = {
  id: "seccompProfile_baseline",
  rule: "pss-seccomp-baseline",
  level: "baseline",
  upstream: "check_seccompProfile_baseline.go",
  description: "No pod or container sets the seccomp profile to Unconfined.",
  fix: "Set securityContext.seccompProfile.type: RuntimeDefault.",
  check: (pod) => {
    const out: Violation[] = [];
    if (obj(securityContext(pod.spec).seccompProfile).type === "Unconfined")
      out.push({ path: "spec.securityContext.seccompProfile.type", message: "pod seccomp profile Unconfined" });
    for (const { c, path, name } of containers(pod))
      if (obj(securityContext(c).seccompProfile).type === "Unconfined")
        out.push({ path: `${path}.securityContext.seccompProfile.type`, message: `container "${name}" seccomp profile Unconfined` });
    return out;
  },
};
