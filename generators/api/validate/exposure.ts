/** The typed edge options of `exposure.ingress`: one meaning on both edges (rules/edge-options.ts). */
import { bodySizeProblem, corsProblems, rateLimitProblems } from "../../rules/edge-options.js";
import type { IngressSpec } from "../tenant.js";
import type { Collector } from "./collector.js";

export function checkEdgeOptions(c: Collector, field: string, ingress: IngressSpec): void {
  if (ingress.rateLimit) for (const p of rateLimitProblems(ingress.rateLimit)) c.add(`${field}.rateLimit.${p.field}`, p.value, p.message);
  if (ingress.cors) for (const p of corsProblems(ingress.cors)) c.add(`${field}.cors.${p.field}`, p.value, p.message);
  if (ingress.maxBodySize !== undefined) {
    const p = bodySizeProblem(ingress.maxBodySize);
    if (p) c.add(`${field}.maxBodySize`, ingress.maxBodySize, p);
  }
}
