/** kubernetes/kubernetes .../pod-security-admission/policy/check_privileged.go: no container sets securityContext.privileged=true. */
import { containers, securityContext, type PodCheck } from "./pod.js";

export const privileged: PodCheck = {
  id: "privileged",
  rule: "pss-privileged",
  level: "baseline",
  upstream: "check_privileged.go",
  description: "No container runs privileged.",
  fix: "Set securityContext.privileged: false (or drop it) on the container.",
  check: (pod) =>
    containers(pod)
      .filter(({ c }) => securityContext(c).privileged === true)
      .map(({ path, name }) => ({ path: `${path}.securityContext.privileged`, message: `container "${name}" is privileged` })),
};
