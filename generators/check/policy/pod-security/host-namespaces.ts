/** kubernetes/kubernetes .../pod-security-admission/policy/check_hostNamespaces.go: hostNetwork, hostPID, hostIPC are forbidden. */
import type { PodCheck } from "./pod.js";

export const hostNamespaces: PodCheck = {
  id: "hostNamespaces",
  rule: "pss-host-namespaces",
  level: "baseline",
  upstream: "check_hostNamespaces.go",
  description: "Pods do not share the host's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).",
  fix: "Remove hostNetwork/hostPID/hostIPC from the pod spec.",
  check: (pod) =>
    (["hostNetwork", "hostPID", "hostIPC"] as const)
      .filter((f) => pod.spec[f] === true)
      .map((f) => ({ path: `spec.${f}`, message: `${f}=true` })),
};
