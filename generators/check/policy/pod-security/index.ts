/**
 * Pod Security Standards, ported check by check from kubernetes/kubernetes
 * staging/src/k8s.io/pod-security-admission/policy/check_*.go: baseline, then restricted, in
 * upstream's order. One implementation: the check rules (../pod-security.ts) and the tests run these.
 */
import type { PodCheck } from "./pod.js";
import { hostProcess } from "./host-process.js";
import { hostNamespaces } from "./host-namespaces.js";
import { privileged } from "./privileged.js";
import { capabilitiesBaseline } from "./capabilities-baseline.js";
import { hostPath } from "./host-path.js";
import { hostPorts } from "./host-ports.js";
import { appArmor } from "./app-armor.js";
import { seLinux } from "./selinux.js";
import { procMount } from "./proc-mount.js";
import { seccompBaseline } from "./seccomp-baseline.js";
import { sysctls } from "./sysctls.js";
import { hostProbes } from "./host-probes.js";
import { volumeTypes } from "./volume-types.js";
import { privilegeEscalation } from "./privilege-escalation.js";
import { runAsNonRoot } from "./run-as-non-root.js";
import { runAsUser } from "./run-as-user.js";
import { seccompRestricted } from "./seccomp-restricted.js";
import { capabilitiesRestricted } from "./capabilities-restricted.js";

export type { Pod, PodCheck, Violation } from "./pod.js";

export const POD_CHECKS: readonly PodCheck[] = [
  hostProcess,
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPath,
  hostPorts,
  appArmor,
  seLinux,
  procMount,
  seccompBaseline,
  sysctls,
  hostProbes,
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
];
