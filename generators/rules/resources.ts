/**
 * Container requests and limits as the API server validates them
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go, ValidateResourceRequirements:
 * every quantity non-negative, and each request "must be less than or equal to <name>
 * limit of <limit>"), plus whole bytes of memory (pkg/api/pod/warnings.go warns on
 * fractional bytes; here it is an error).
 */
import { compareQuantities, parseQuantity, quantityProblem } from "./quantity.js";

export interface ResourceProblem {
  /** Field below the resources object, e.g. "requests.memory". */
  field: string;
  value: string;
  message: string;
}

type Amounts = Readonly<Record<string, string | undefined>>;

const kindOf = (resource: string): "cpu" | "memory" | "storage" | "count" =>
  resource === "cpu" ? "cpu" : resource === "memory" || resource.includes("storage") ? "memory" : "count";

export function resourceProblems(requests: Amounts | undefined, limits: Amounts | undefined): ResourceProblem[] {
  const out: ResourceProblem[] = [];
  for (const [part, amounts] of [
    ["requests", requests],
    ["limits", limits],
  ] as const) {
    for (const [name, value] of Object.entries(amounts ?? {})) {
      if (value === undefined) continue;
      const p = quantityProblem(value, kindOf(name));
      if (p) out.push({ field: `${part}.${name}`, value, message: p });
    }
  }
  for (const [name, value] of Object.entries(requests ?? {})) {
    const limit = limits?.[name];
    if (value === undefined || limit === undefined) continue;
    const r = parseQuantity(value);
    const l = parseQuantity(limit);
    if (r && l && compareQuantities(r, l) > 0) {
      out.push({
        field: `requests.${name}`,
        value,
        message: `must be less than or equal to ${name} limit of ${limit}; raise limits.${name} or lower the request`,
      });
    }
  }
  return out;
}
