/** kubernetes/kubernetes .../pod-security-admission/policy/check_hostPorts.go: no container port sets a non-zero hostPort. */
import { containers, list, type PodCheck } from "./pod.js";

export const hostPorts: PodCheck = {
  id: "hostPorts",
  rule: "pss-host-port",
  level: "baseline",
  upstream: "check_hostPorts.go",
  description: "No container port binds a hostPort.",
  fix: "Remove hostPort; expose the port through a Service.",
  check: (pod) =>
    containers(pod).flatMap(({ c, path, name }) =>
      list(c.ports).flatMap((p, i) =>
        typeof p.hostPort === "number" && p.hostPort !== 0
          ? [{ path: `${path}.ports[${i}].hostPort`, message: `container "${name}" uses hostPort ${p.hostPort}` }]
          : [],
      ),
    ),
};
