/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_seLinuxOptions.go: seLinuxOptions
 * type only container_t, container_init_t or container_kvm_t (or empty); user and role never set.
 */
import { containers, obj, securityContext, text, type Obj, type PodCheck, type Violation } from "./pod.js";

export const SELINUX_TYPES: readonly string[] = ["", "container_t", "container_init_t", "container_kvm_t"];

function judge(opts: Obj, path: string, who: string): Violation[] {
  const out: Violation[] = [];
  if (!SELINUX_TYPES.includes(text(opts.type)))
    out.push({ path: `${path}.type`, message: `${who} sets seLinuxOptions type "${text(opts.type)}"` });
  for (const f of ["user", "role"] as const)
    if (text(opts[f]) !== "") out.push({ path: `${path}.${f}`, message: `${who} sets seLinuxOptions ${f}` });
  return out;
}

export const seLinux: PodCheck = {
  id: "seLinuxOptions",
  rule: "pss-selinux",
  level: "baseline",
  upstream: "check_seLinuxOptions.go",
  description: "seLinuxOptions set no user or role, and a type only among container_t, container_init_t, container_kvm_t.",
  fix: "Remove seLinuxOptions (or keep only an allowed type).",
  check: (pod) => [
    ...judge(obj(securityContext(pod.spec).seLinuxOptions), "spec.securityContext.seLinuxOptions", "pod"),
    ...containers(pod).flatMap(({ c, path, name }) =>
      judge(obj(securityContext(c).seLinuxOptions), `${path}.securityContext.seLinuxOptions`, `container "${name}"`),
    ),
  ],
};
