/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_restrictedVolumes.go: volumes only
 * of the restricted types. hostPath, which upstream reports here too, is pss-host-path's.
 */
import { list, text, type PodCheck } from "./pod.js";

export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

export const volumeTypes: PodCheck = {
  id: "restrictedVolumes",
  rule: "pss-volume-types",
  level: "restricted",
  upstream: "check_restrictedVolumes.go",
  description: `Volumes use only the restricted profile's types: ${RESTRICTED_VOLUME_TYPES.join(", ")}.`,
  fix: "Use a configMap, secret, emptyDir, projected, csi, ephemeral or persistentVolumeClaim volume instead.",
  check: (pod) =>
    list(pod.spec.volumes).flatMap((v, i) =>
      Object.keys(v)
        .filter((k) => k !== "name" && k !== "hostPath" && !RESTRICTED_VOLUME_TYPES.includes(k))
        .map((k) => ({
          path: `spec.volumes[${i}].${k}`,
          message: `volume "${text(v.name)}" has type ${k}, not allowed by the restricted profile`,
        })),
    ),
};
