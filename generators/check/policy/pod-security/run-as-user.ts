/** kubernetes/kubernetes .../pod-security-admission/policy/check_runAsUser.go: runAsUser never 0, on the pod or any container; user-namespaced pods exempt. */
import { containers, securityContext, userNamespaced, type PodCheck, type Violation } from "./pod.js";

export const runAsUser: PodCheck = {
  id: "runAsUser",
  rule: "pss-run-as-user",
  level: "restricted",
  upstream: "check_runAsUser.go",
  description: "runAsUser is never 0 (root), on the pod or any container.",
  fix: "Set runAsUser to a non-zero UID (e.g. 10001).",
  check: (pod) => {
    if (userNamespaced(pod)) return [];
    const out: Violation[] = [];
    if (securityContext(pod.spec).runAsUser === 0)
      out.push({ path: "spec.securityContext.runAsUser", message: "pod must not set runAsUser=0" });
    for (const { c, path, name } of containers(pod))
      if (securityContext(c).runAsUser === 0)
        out.push({ path: `${path}.securityContext.runAsUser`, message: `container "${name}" must not set runAsUser=0` });
    return out;
  },
};
