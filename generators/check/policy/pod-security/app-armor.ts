/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_appArmorProfile.go: the AppArmor
 * profile is never Unconfined. Since 1.30 it is a field (securityContext.appArmorProfile.type on
 * the pod and each container: RuntimeDefault, Localhost or unset); the beta annotations
 * `container.apparmor.security.beta.kubernetes.io/<c>` are judged too (runtime/default, localhost/*, empty).
 */
import { containers, obj, securityContext, text, type PodCheck, type Violation } from "./pod.js";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const allowedType = (t: unknown): boolean => t === undefined || t === "RuntimeDefault" || t === "Localhost";
const allowedAnnotation = (v: string): boolean => v === "" || v === "runtime/default" || v.startsWith("localhost/");

export const appArmor: PodCheck = {
  id: "appArmorProfile",
  rule: "pss-apparmor",
  level: "baseline",
  upstream: "check_appArmorProfile.go",
  description: "No pod or container overrides the AppArmor profile to Unconfined (field or beta annotation).",
  fix: "Drop the appArmorProfile override, or use RuntimeDefault or a Localhost profile.",
  check: (pod) => {
    const out: Violation[] = [];
    const podType = obj(securityContext(pod.spec).appArmorProfile).type;
    if (!allowedType(podType))
      out.push({ path: "spec.securityContext.appArmorProfile.type", message: `pod AppArmor profile ${text(podType)}` });
    for (const { c, path, name } of containers(pod)) {
      const t = obj(securityContext(c).appArmorProfile).type;
      if (!allowedType(t))
        out.push({ path: `${path}.securityContext.appArmorProfile.type`, message: `container "${name}" AppArmor profile ${text(t)}` });
    }
    for (const [k, v] of Object.entries(obj(pod.metadata.annotations)).sort(([a], [b]) => a.localeCompare(b)))
      if (k.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(text(v)))
        out.push({ path: `metadata.annotations["${k}"]`, message: `${k}="${text(v)}"` });
    return out;
  },
};
