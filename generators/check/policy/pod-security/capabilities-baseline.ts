/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_capabilities_baseline.go: added
 * capabilities only from the default set container runtimes grant anyway.
 */
import { containers, obj, securityContext, strings, type PodCheck } from "./pod.js";

/** capabilities_allowed_1_0 upstream. */
export const BASELINE_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

export const capabilitiesBaseline: PodCheck = {
  id: "capabilities_baseline",
  rule: "pss-capabilities-baseline",
  level: "baseline",
  upstream: "check_capabilities_baseline.go",
  description: `Containers add no capability outside the baseline set (${BASELINE_CAPABILITIES.join(", ")}).`,
  fix: "Remove the capability from securityContext.capabilities.add.",
  check: (pod) =>
    containers(pod).flatMap(({ c, path, name }) =>
      strings(obj(securityContext(c).capabilities).add).flatMap((cap, i) =>
        BASELINE_CAPABILITIES.includes(cap)
          ? []
          : [{ path: `${path}.securityContext.capabilities.add[${i}]`, message: `container "${name}" adds ${cap}` }],
      ),
    ),
};
