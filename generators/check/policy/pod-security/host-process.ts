/** kubernetes/kubernetes .../pod-security-admission/policy/check_windowsHostProcess.go: windowsOptions.hostProcess=true on the pod or any container is forbidden. */
import { containers, obj, securityContext, type PodCheck, type Violation } from "./pod.js";

export const hostProcess: PodCheck = {
  id: "windowsHostProcess",
  rule: "pss-host-process",
  level: "baseline",
  upstream: "check_windowsHostProcess.go",
  description: "No pod or container is a Windows HostProcess (securityContext.windowsOptions.hostProcess).",
  fix: "Remove securityContext.windowsOptions.hostProcess.",
  check: (pod) => {
    const out: Violation[] = [];
    if (obj(securityContext(pod.spec).windowsOptions).hostProcess === true)
      out.push({ path: "spec.securityContext.windowsOptions.hostProcess", message: "pod sets hostProcess=true" });
    for (const { c, path, name } of containers(pod))
      if (obj(securityContext(c).windowsOptions).hostProcess === true)
        out.push({ path: `${path}.securityContext.windowsOptions.hostProcess`, message: `container "${name}" sets hostProcess=true` });
    return out;
  },
};
