/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_allowPrivilegeEscalation.go: every
 * container sets allowPrivilegeEscalation: false explicitly (Windows pods are exempt since 1.25).
 */
import { containers, securityContext, windows, type PodCheck } from "./pod.js";

export const privilegeEscalation: PodCheck = {
  id: "allowPrivilegeEscalation",
  rule: "pss-privilege-escalation",
  level: "restricted",
  upstream: "check_allowPrivilegeEscalation.go",
  description: "Every container sets securityContext.allowPrivilegeEscalation: false explicitly.",
  fix: "Set securityContext.allowPrivilegeEscalation: false on the container.",
  check: (pod) =>
    windows(pod)
      ? []
      : containers(pod)
          .filter(({ c }) => securityContext(c).allowPrivilegeEscalation !== false)
          .map(({ path, name }) => ({
            path: `${path}.securityContext.allowPrivilegeEscalation`,
            message: `container "${name}" must set securityContext.allowPrivilegeEscalation=false`,
          })),
};
