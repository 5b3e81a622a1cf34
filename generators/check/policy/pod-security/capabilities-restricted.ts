/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_capabilities_restricted.go: every
 * container drops ALL and adds nothing but NET_BIND_SERVICE. Windows pods are exempt since 1.25.
 */
import { containers, obj, securityContext, strings, windows, type PodCheck, type Violation } from "./pod.js";

export const capabilitiesRestricted: PodCheck = {
  id: "capabilities_restricted",
  rule: "pss-capabilities",
  level: "restricted",
  upstream: "check_capabilities_restricted.go",
  description: "Every container drops ALL capabilities and adds none but NET_BIND_SERVICE.",
  fix: "Set securityContext.capabilities: {drop: [ALL]} and add only NET_BIND_SERVICE if needed.",
  check: (pod) =>
    windows(pod)
      ? []
      : containers(pod).flatMap(({ c, path, name }) => {
          const caps = obj(securityContext(c).capabilities);
          const out: Violation[] = [];
          if (!strings(caps.drop).includes("ALL"))
            out.push({
              path: `${path}.securityContext.capabilities.drop`,
              message: `container "${name}" must set securityContext.capabilities.drop=["ALL"]`,
            });
          strings(caps.add).forEach((a, i) => {
            if (a !== "NET_BIND_SERVICE")
              out.push({ path: `${path}.securityContext.capabilities.add[${i}]`, message: `container "${name}" adds ${a}` });
          });
          return out;
        }),
};
