/** kubernetes/kubernetes .../pod-security-admission/policy/check_sysctls.go: only the namespaced, isolated "safe" sysctls. */
import { list, obj, securityContext, text, type PodCheck } from "./pod.js";

/** Upstream's allowed set for the fleet's Kubernetes (1.33+): sysctls_allowed_1_0, plus those added in 1.27, 1.29 and 1.32. */
export const SAFE_SYSCTLS: readonly string[] = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];

export const sysctls: PodCheck = {
  id: "sysctls",
  rule: "pss-sysctls",
  level: "baseline",
  upstream: "check_sysctls.go",
  description:
    "Pods set only the sysctls upstream deems safe (namespaced and isolated from other pods: kernel.shm_rmid_forced and a list of net.ipv4 ones).",
  fix: "Remove the sysctl from spec.securityContext.sysctls.",
  check: (pod) =>
    list(obj(securityContext(pod.spec)).sysctls).flatMap((s, i) =>
      SAFE_SYSCTLS.includes(text(s.name))
        ? []
        : [{ path: `spec.securityContext.sysctls[${i}].name`, message: `forbidden sysctl ${text(s.name)}` }],
    ),
};
