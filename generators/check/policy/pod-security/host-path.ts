/** kubernetes/kubernetes .../pod-security-admission/policy/check_hostPathVolumes.go: no hostPath volume. */
import { list, text, type PodCheck } from "./pod.js";

export const hostPath: PodCheck = {
  id: "hostPathVolumes",
  rule: "pss-host-path",
  level: "baseline",
  upstream: "check_hostPathVolumes.go",
  description: "No hostPath volumes.",
  fix: "Replace the hostPath volume with an emptyDir, configMap or persistentVolumeClaim.",
  check: (pod) =>
    list(pod.spec.volumes).flatMap((v, i) =>
      v.hostPath !== undefined && v.hostPath !== null
        ? [{ path: `spec.volumes[${i}].hostPath`, message: `volume "${text(v.name)}" is a hostPath` }]
        : [],
    ),
};
