/**
 * `npm run check -- --flows`: every needed flow of a cluster, allowed or denied and by what,
 * grouped by the source's tenant (platform clients under "platform").
 */
import { clusterContexts } from "../policy/index.js";
import type { PolicyInput } from "../policy/types.js";
import { clusterFlows, type FlowResult } from "./evaluate.js";

function row(r: FlowResult): string {
  const verdict = r.denials.length > 0 ? `DENIED by ${r.denials.map((d) => d.message).join("; ")}` : `allowed (${r.allowedBy.join("; ")})`;
  return `    ${r.flow.source.display} -> ${r.destination}  [${r.flow.evidence}]  ${verdict}`;
}

/** The flow matrix of each cluster in `input`, as text lines. */
export function formatFlows(input: PolicyInput): string[] {
  const lines: string[] = [];
  for (const ctx of clusterContexts(input)) {
    const flows = clusterFlows(ctx);
    const denied = flows.filter((r) => r.denials.length > 0).length;
    lines.push(`flows ${ctx.name}: ${flows.length} needed, ${denied} denied`);
    const byTenant = new Map<string, FlowResult[]>();
    for (const r of flows) {
      const t = r.flow.source.tenant || "platform";
      byTenant.set(t, [...(byTenant.get(t) ?? []), r]);
    }
    for (const [tenant, rs] of [...byTenant.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${tenant}`);
      for (const r of rs) lines.push(row(r));
    }
  }
  return lines;
}
