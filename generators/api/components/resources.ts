/** Small constructors every tenant file used to copy: requests and limits, per-environment sizing, images of one registry. */
import type { ImageSpec, ResourcesSpec } from "../tenant.js";

/** Requests and limits in one call: `resources("500m", "1Gi", "1", "2Gi")`. */
export function resources(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResourcesSpec {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/** The images of one registry and release: `const image = registry("docker.io/uiota", "1.0.0"); image("offline-ai")`. */
export function registry(prefix: string, tag: string): (name: string) => ImageSpec {
  return (name) => ({ repository: `${prefix}/${name}`, tag });
}
