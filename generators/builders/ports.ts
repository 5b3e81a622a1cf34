/** An app's ports as its Service exposes them: the one lookup every builder that routes to a Service uses. */
import type { AppSpec } from "../api/tenant.js";
/** The Service port of an app's named port (its containerPort unless it declares a servicePort). */
export function servicePort(app: AppSpec, name: string): number {
  const p = app.ports.find((x) => x.name === name);
  if (!p) throw new Error(`internal: ${app.name} has no port ${name}`);
  return p.servicePort ?? p.containerPort;
}
