/**
 * The fleet report as one self-contained HTML page: inline CSS, inline SVG, and a small
 * inline script that only adds filtering. Everything is readable with JavaScript off,
 * every table has a caption and scoped headers, and every status is written out in
 * words and a symbol, never colour alone. Deterministic: no clock, no random ids.
 */
import { ENVIRONMENTS } from "../fleet/fleet.js";
import { HOURS_PER_MONTH, GENERAL_REFERENCE_TYPE } from "../fleet/prices.js";
import { objectLines } from "../diff/format.js";
import type { Finding } from "../check/finding.js";
import { formatUsd } from "./cost.js";
import { esc } from "./escape.js";
import { durabilitySection } from "./durability.js";
import type { Cell, ClusterReport, ClusterSupport, FleetReport, LimitCheck, ReleaseRow } from "./model.js";
import { capacityChart, fmt } from "./svg.js";

const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--ok:#1a7f37;--bad:#b3261e;--warn:#8a5a00;--accent:#0b57d0;--min:#0b57d0;--max:#7fa7e8}
*{box-sizing:border-box}
body{margin:0;overflow-wrap:break-word;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,summary:focus-visible,input:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:10}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;margin:.2rem 0 .5rem}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.lede,.note{color:var(--muted);max-width:75ch}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.75rem;margin:1rem 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.card b{display:block;font-size:1.25rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:var(--panel)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.facts{list-style:none;margin:0;padding:0}
.facts li{margin:.1rem 0}
details summary{cursor:pointer}
details ul{margin:.25rem 0;padding-left:1.1rem}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;word-break:break-word}
pre{white-space:pre-wrap;background:var(--panel);border:1px solid var(--line);padding:.5rem;border-radius:6px}
.ok{color:var(--ok)}.bad{color:var(--bad);font-weight:600}.warn{color:var(--warn);font-weight:600}
.badge{display:inline-block;border:1px solid currentColor;border-radius:4px;padding:0 .3rem;font-size:.8rem;margin:.1rem .2rem .1rem 0}
.clusters{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1rem}
.cluster{border:1px solid var(--line);border-radius:8px;padding:.75rem;min-width:0}
.chart{width:100%;max-width:460px;height:auto;display:block;margin:.25rem 0}
.c-label,.c-fig{font:11px system-ui,sans-serif;fill:var(--fg)}
.c-track{fill:var(--panel);stroke:var(--line)}
.c-min{fill:var(--min)}.c-max{fill:var(--max)}.c-over{fill:var(--bad)}
.c-limit{stroke:var(--fg);stroke-width:2;stroke-dasharray:3 2}
.legend{font-size:.85rem;color:var(--muted)}
.swatch{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;border:1px solid var(--fg)}
.filter{margin:.5rem 0}
.filter input{font:inherit;padding:.3rem .5rem;width:min(100%,22rem)}
@media (max-width:760px){
 .clusters{grid-template-columns:1fr}
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack,table.stack tbody,table.stack tr,table.stack th,table.stack td{display:block;width:100%}
 table.stack caption{display:block}
 table.stack tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .75rem}
 table.stack tbody th{background:var(--panel)}
 table.stack td{border:0;border-top:1px solid var(--line)}
 table.stack td.num{text-align:left}
 table.stack td::before{content:attr(data-label);display:inline-block;min-width:7.5em;font-weight:600;color:var(--muted)}
 table.stack td[data-cell]::before,table.stack td.block::before{display:block}
}
@media print{.filter,nav{display:none}}
`;

/** Adds a text filter above each table marked data-filter. Without JavaScript the tables are simply unfiltered. */
const SCRIPT = `
document.querySelectorAll("table[data-filter]").forEach(function (table) {
  var id = table.id + "-filter";
  var wrap = document.createElement("p");
  wrap.className = "filter";
  var label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Filter " + table.getAttribute("data-filter") + ": ";
  var input = document.createElement("input");
  input.type = "search";
  input.id = id;
  label.appendChild(input);
  wrap.appendChild(label);
  var anchor = table.closest(".scroll") || table;
  anchor.parentNode.insertBefore(wrap, anchor);
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    table.querySelectorAll("tbody tr").forEach(function (row) {
      row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
});
`;

const cpu = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));
const gib = (n: number): string => `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} GiB`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const range = (min: number, max: number): string => (min === max ? fmt(min) : `${fmt(min)}–${fmt(max)}`);

const RESOURCE_NAMES: Record<LimitCheck["resource"], string> = { cpu: "CPU", memory: "memory", gpu: "GPUs", pods: "pods" };

function statusText(s: LimitCheck["status"]): string {
  if (s === "ok") return `<span class="ok">✓ fits</span>`;
  if (s === "over-at-max") return `<span class="warn">⚠ over-commit at maximum</span>`;
  return `<span class="bad">✗ over at minimum</span>`;
}

function findingItems(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `<li><code>[${esc(f.rule)}]</code> ${esc(f.object)} <code>${esc(f.path)}</code>: ${esc(f.message)}<br><small>fix: ${esc(f.fix)}</small></li>`,
    )
    .join("");
}

function checkStatus(c: Cell): string {
  const head =
    c.findings.length === 0
      ? `<span class="ok">✓ check clean</span>`
      : `<span class="bad">✗ ${plural(c.findings.length, "finding")}</span>`;
  const exc = c.excepted.length > 0 ? ` · ${plural(c.excepted.length, "exception")}` : "";
  if (c.findings.length === 0 && c.excepted.length === 0) return head;
  const excItems = c.excepted
    .map((e) => `<li><code>[${esc(e.finding.rule)}]</code> ${esc(e.finding.object)}: ${esc(e.reason)}</li>`)
    .join("");
  return `<details><summary>${head}${exc}</summary>${c.findings.length > 0 ? `<p>Findings:</p><ul>${findingItems(c.findings)}</ul>` : ""}${excItems ? `<p>Exceptions in use:</p><ul>${excItems}</ul>` : ""}</details>`;
}

function cellHtml(c: Cell | undefined, cluster: string): string {
  if (!c) return `<td data-label="${esc(cluster)}"><span class="note">— not deployed</span></td>`;
  const apps = c.workloads
    .map(
      (w) =>
        `<li>${esc(w.name)} <small>(${esc(w.kind)})</small>: ${w.autoscaler ? `${w.min}–${w.max} <abbr title="${esc(w.autoscaler)}">${w.autoscaler === "ScaledObject" ? "KEDA" : "HPA"}</abbr>` : `${w.min} fixed`}${w.perPod.gpus > 0 ? `, ${plural(w.perPod.gpus, "GPU")}/pod` : ""}</li>`,
    )
    .join("");
  const replicas =
    [
      c.fixedReplicas > 0 ? `${c.fixedReplicas} fixed` : "",
      c.autoscaled.workloads > 0 ? `${range(c.autoscaled.min, c.autoscaled.max)} autoscaled` : "",
    ]
      .filter(Boolean)
      .join(" + ") || "0";
  const hosts =
    c.hosts.length > 0
      ? `<details><summary>${plural(c.hosts.length, "host")}</summary><ul>${c.hosts.map((h) => `<li><code>${esc(h)}</code></li>`).join("")}</ul></details>`
      : "no hosts";
  return `<td data-label="${esc(cluster)}" data-cell="${esc(`${c.cluster}/${c.tenant}`)}"><ul class="facts">
<li>${c.workloads.length > 0 ? `<details><summary data-apps="${c.workloads.length}">${plural(c.workloads.length, "app")}</summary><ul>${apps}</ul></details>` : "0 apps"}</li>
<li>${plural(c.objects, "object")}</li>
<li>replicas: <span data-replicas>${esc(replicas)}</span></li>
<li>GPUs: <span data-gpus>${esc(range(c.gpus.min, c.gpus.max))}</span></li>
${c.jobs.length > 0 ? `<li>${plural(c.jobs.length, "job")}</li>` : ""}
<li>${hosts}</li>
<li>${checkStatus(c)}</li>
</ul></td>`;
}

function matrix(r: FleetReport): string {
  const head = r.clusters.map((c) => `<th scope="col">${esc(c.name)}<br><small>${esc(c.env)} · ${esc(c.region)}</small></th>`).join("");
  const rows = r.tenants
    .map(
      (t) =>
        `<tr data-tenant="${esc(t)}"><th scope="row">${esc(t)}</th>${r.clusters
          .map((c) =>
            cellHtml(
              r.cells.find((x) => x.cluster === c.name && x.tenant === t),
              c.name,
            ),
          )
          .join("")}</tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="matrix"><h2 id="matrix">Fleet matrix</h2>
<p class="lede">What each tenant runs on each cluster, from the rendered <code>clusters/&lt;cluster&gt;/&lt;tenant&gt;</code> folders. Replicas are fixed, or an autoscaler's minimum–maximum (HPA or KEDA). The check status is <code>npm run check</code> on the same objects.</p>
<div class="scroll" role="region" aria-label="Fleet matrix table" tabindex="0"><table id="matrix-table" class="stack" data-filter="tenants"><caption>Tenants (rows) by cluster (columns)</caption>
<thead><tr><th scope="col">Tenant</th>${head}</tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

function imageCell(row: ReleaseRow, env: string): string {
  const slot = row.envs[env as keyof ReleaseRow["envs"]];
  if (!slot) return `<td data-label="${esc(env)}"><span class="note">— not deployed</span></td>`;
  const images = slot.images
    .map((i) => {
      const [name, digest] = i.image.split("@");
      return `<code>${esc(name ?? i.image)}</code>${digest ? `<br><span class="badge" title="${esc(digest)}">digest ${esc(digest.slice(0, 19))}…</span>` : ` <span class="badge">tag only</span>`}`;
    })
    .join("<br>");
  return `<td data-label="${esc(env)}">${images}${slot.pinned ? ` <span class="badge">pinned in pins.json</span>` : ""}</td>`;
}

function releasesSection(r: FleetReport): string {
  const pending = r.releases.filter((x) => x.pendingPromotion).length;
  const rows = r.releases
    .map(
      (x) =>
        `<tr><th scope="row">${esc(x.tenant)} / ${esc(x.app)}</th>${ENVIRONMENTS.map((e) => imageCell(x, e)).join("")}<td data-label="promotion">${x.pendingPromotion ? `<span class="warn">⏳ pending promotion: staging runs a release prod does not</span>` : `<span class="ok">✓ prod matches staging</span>`}</td></tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="releases"><h2 id="releases">Releases</h2>
<p class="lede">The image each app runs per environment, as rendered (pins from <code>generators/release/pins.json</code> applied). ${plural(pending, "app")} pending promotion from staging to prod. A digest pins the exact image; a tag alone can be moved.</p>
<div class="scroll" role="region" aria-label="Releases table" tabindex="0"><table id="releases-table" class="stack" data-filter="apps"><caption>Images per tenant, app and environment</caption>
<thead><tr><th scope="col">Tenant / app</th>${ENVIRONMENTS.map((e) => `<th scope="col">${esc(e)}</th>`).join("")}<th scope="col">Promotion</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

function costBreakdown(c: ClusterReport): string {
  const line = (label: string, cost: ClusterReport["cost"]["min"]): string =>
    `<li>${label}: <b>${formatUsd(cost.usdPerMonth)}/month</b> — general pods ${cpu(cost.general.cpu)} CPU, ${gib(cost.general.memoryGiB)} ≈ ${cost.generalNodes.toFixed(2)} × ${esc(GENERAL_REFERENCE_TYPE)} = ${formatUsd(cost.generalUsdPerMonth)}; GPU nodes ${
      cost.gpuNodes.length > 0
        ? cost.gpuNodes.map((g) => `${esc(g.name)} ${g.nodes} × ${esc(g.instanceType)} = ${formatUsd(g.usdPerMonth)}`).join(", ")
        : "none"
    }; EKS control plane ${formatUsd(cost.controlPlaneUsdPerMonth)}${cost.unpriced.length > 0 ? `; <span class="warn">⚠ not priced: ${esc(cost.unpriced.join("; "))}</span>` : ""}</li>`;
  return `<ul class="facts">${line("at minimum scale", c.cost.min)}${line("at maximum scale", c.cost.max)}</ul>`;
}

function limitRows(c: ClusterReport): string {
  const unit = (l: LimitCheck, n: number): string => (l.resource === "memory" ? gib(n) : l.resource === "cpu" ? cpu(n) : fmt(n));
  return c.limits
    .map(
      (l) =>
        `<tr><th scope="row">${esc(l.against)}: ${esc(RESOURCE_NAMES[l.resource])}</th><td class="num" data-label="at minimum">${unit(l, l.min)}</td><td class="num" data-label="at maximum">${unit(l, l.max)}</td><td class="num" data-label="allowed">${unit(l, l.limit)}</td><td data-label="status">${statusText(l.status)}</td></tr>`,
    )
    .join("");
}

/** "EKS standard support until 2027-03-27 (extended until 2028-03-27); control plane $0.10/hour". */
function supportText(s: ClusterSupport): string {
  const fee = s.usdPerHour !== undefined ? `; control plane <b data-fee="${s.usdPerHour}">$${s.usdPerHour.toFixed(2)}/hour</b>` : "";
  const windows =
    s.endOfStandardSupport !== undefined
      ? `standard support until ${esc(s.endOfStandardSupport)}, extended until ${esc(s.endOfExtendedSupport ?? "")}`
      : "";
  if (s.phase === "standard") return `EKS ${windows}${fee}.`;
  if (s.phase === "extended") return `<span class="warn">⚠ EKS extended support</span> (${windows})${fee}.`;
  if (s.phase === "ended") return `<span class="warn">⚠ EKS no longer offers this version</span> (${windows}).`;
  if (s.phase === "unreleased") return `<span class="warn">⚠ Not yet released on EKS</span> (from ${esc(s.released ?? "")}).`;
  return `<span class="warn">⚠ Not in the EKS calendar</span>.`;
}

function capacitySection(r: FleetReport): string {
  const clusters = r.clusters
    .map(
      (
        c,
      ) => `<article class="cluster" id="capacity-${esc(c.name)}" data-cluster="${esc(c.name)}"><h3>${esc(c.name)} <small>${esc(c.env)} · ${esc(c.region)} · Kubernetes ${esc(c.kubernetesVersion)}</small></h3>
<p>Requested: <span data-cpu>${cpu(c.requested.min.cpu)}–${cpu(c.requested.max.cpu)}</span> CPU, <span data-memory>${gib(c.requested.min.memoryGiB)}–${gib(c.requested.max.memoryGiB)}</span>, <span data-gpus>${range(c.requested.min.gpus, c.requested.max.gpus)}</span> GPUs (minimum–maximum scale).</p>
<p data-support="${esc(c.support.phase)}">${supportText(c.support)}</p>
<p>Estimated cost: <b data-cost-min="${c.cost.min.usdPerMonth}">${formatUsd(c.cost.min.usdPerMonth)}</b>–<b data-cost-max="${c.cost.max.usdPerMonth}">${formatUsd(c.cost.max.usdPerMonth)}</b> per month.</p>
${capacityChart(c.name, c.limits)}
<div class="scroll" role="region" aria-label="${esc(c.name)} limits" tabindex="0"><table class="stack"><caption>${esc(c.name)}: requests against NodePool limits and quotas</caption>
<thead><tr><th scope="col">Limit</th><th scope="col" class="num">At minimum</th><th scope="col" class="num">At maximum</th><th scope="col" class="num">Allowed</th><th scope="col">Status</th></tr></thead>
<tbody>${limitRows(c)}</tbody></table></div>
<details><summary>Cost breakdown</summary>${costBreakdown(c)}</details>
</article>`,
    )
    .join("\n");
  const overs = r.clusters.flatMap((c) => c.limits.filter((l) => l.status !== "ok").map((l) => `${c.name} ${l.against} ${l.resource}`));
  return `<section aria-labelledby="capacity"><h2 id="capacity">Capacity and cost</h2>
<p class="lede">CPU, memory and GPUs the workloads request (Istio proxies included, Jobs left out), at every autoscaler's minimum and maximum, against the Karpenter NodePool limits and the namespace ResourceQuotas. ${overs.length === 0 ? `<span class="ok">✓ No over-commit.</span>` : `<span class="warn">⚠ Over-commit: ${esc(overs.join("; "))}.</span>`} Costs are <strong>estimates</strong>; see <a href="#prices">prices and method</a>.</p>
<p class="legend" aria-hidden="true"><span class="swatch" style="background:var(--min)"></span> at minimum scale · <span class="swatch" style="background:var(--max)"></span> at maximum scale · dashed line: the NodePool limit</p>
<div class="clusters">
${clusters}
</div></section>`;
}

function changeSection(r: FleetReport): string {
  const ch = r.change;
  if (!ch) return "";
  const d = ch.diff;
  const base = `${d.base.ref}${d.base.ref !== d.base.commit ? ` (${d.base.commit.slice(0, 12)})` : ""}`;
  if (!d.hasChanges)
    return `<section aria-labelledby="change"><h2 id="change">Change view</h2><p>Compared with <code>${esc(base)}</code>: no rendered object changes.</p></section>`;
  const lines = ch.lines.map((l) => `<li data-change="${esc(l.cluster)}">${esc(l.text)}</li>`).join("");
  const summary = d.summaries
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.cluster)}</th><td class="num" data-label="added">${s.added}</td><td class="num" data-label="changed">${s.changed}</td><td class="num" data-label="removed">${s.removed}</td><td class="num" data-label="replica fields">${s.replicas}</td><td class="num" data-label="image fields">${s.images}</td><td class="num" data-label="GPU fields">${s.gpus}</td></tr>`,
    )
    .join("");
  const folders = d.summaries
    .map((s) => {
      const fs = d.folders.filter((f) => f.cluster === s.cluster && f.objects.length > 0);
      const body = fs
        .map(
          (f) =>
            `<h4><code>${esc(f.path)}</code>${f.status === "added" || f.status === "removed" ? ` (folder ${esc(f.status)})` : ""}</h4>${f.objects.map((o) => `<p><b>${esc(o.kind)}</b> <code>${esc(o.label)}</code></p><pre>${esc(objectLines(o, 40).join("\n"))}</pre>`).join("")}`,
        )
        .join("");
      return `<details><summary><b>${esc(s.cluster)}</b>: ${s.added} added, ${s.changed} changed, ${s.removed} removed</summary>${body}</details>`;
    })
    .join("\n");
  return `<section aria-labelledby="change"><h2 id="change">Change view</h2>
<p class="lede">What this change does to the rendered objects, compared with <code>${esc(base)}</code> (${esc(d.base.why)}), and what it does to requested capacity and estimated monthly cost.</p>
<h3>Capacity and cost per cluster</h3><ul id="change-lines">${lines}</ul>
<div class="scroll" role="region" aria-label="Changed objects per cluster" tabindex="0"><table class="stack"><caption>Changed objects per cluster</caption>
<thead><tr><th scope="col">Cluster</th><th scope="col" class="num">Added</th><th scope="col" class="num">Changed</th><th scope="col" class="num">Removed</th><th scope="col" class="num">Replica fields</th><th scope="col" class="num">Image fields</th><th scope="col" class="num">GPU fields</th></tr></thead>
<tbody>${summary}</tbody></table></div>
${folders}
</section>`;
}

function addonsSection(r: FleetReport): string {
  const head = r.clusters.map((c) => `<th scope="col">${esc(c.name)}</th>`).join("");
  const rows = r.addons
    .map(
      (a) =>
        `<tr><th scope="row">${esc(a.name)}<br><small>chart <code>${esc(a.chart)}</code> · wave ${a.wave}</small></th>${r.clusters.map((c) => `<td data-label="${esc(c.name)}">${a.versions[c.name] !== undefined ? `<code>${esc(a.versions[c.name] ?? "")}</code>` : `<span class="note">— not installed</span>`}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const kinds = (items: readonly string[]): string => {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.split(" ")[0] ?? "", (counts.get(i.split(" ")[0] ?? "") ?? 0) + 1);
    return [...counts.entries()].map(([k, n]) => plural(n, k)).join(", ");
  };
  const waves = r.waves
    .map(
      (w) =>
        `<li><details><summary><b>Wave ${w.wave}</b>: ${esc(kinds(w.items))}</summary><ul>${w.items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul></details></li>`,
    )
    .join("");
  return `<section aria-labelledby="addons"><h2 id="addons">Add-ons and the wave plan</h2>
<div class="scroll" role="region" aria-label="Add-ons table" tabindex="0"><table class="stack"><caption>Add-on chart version per cluster</caption>
<thead><tr><th scope="col">Add-on</th>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>
<h3>Sync waves of <code>apps/fleet</code></h3>
<p class="note">The root Application applies these in order; each wave waits for the previous one to be healthy.</p>
<ol class="facts">${waves}</ol>
<h3>Tenant rollout</h3>
<p>Mode: <b>${esc(r.rollout.mode)}</b>. ${r.rollout.mode === "progressive" ? "RollingSync steps" : "Steps RollingSync would take if switched to progressive"}: ${esc(r.rollout.steps.join(" → "))}.</p>
</section>`;
}

function pricesSection(r: FleetReport): string {
  const regions = [...new Set(r.prices.map((p) => p.region))].sort();
  const types = [...new Set(r.prices.map((p) => p.instanceType))];
  const sources = [...new Set(r.prices.map((p) => `${p.source} (read ${p.date})`))];
  const rows = types
    .map(
      (t) =>
        `<tr><th scope="row"><code>${esc(t)}</code></th>${regions
          .map((g) => {
            const p = r.prices.find((x) => x.instanceType === t && x.region === g);
            return `<td class="num" data-label="${esc(g)}">${p ? `$${p.usdPerHour.toFixed(4)}/h${p.standIn ? " †" : ""}` : "—"}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  return `<section aria-labelledby="prices"><h2 id="prices">Prices and method</h2>
<p><strong>All costs on this page are estimates</strong>, for comparing changes, not a bill. They use EC2 on-demand Linux list prices in USD from <code>generators/fleet/prices.ts</code>; a month is ${HOURS_PER_MONTH} hours.</p>
<ul>${sources.map((s) => `<li>Source: ${esc(s)}</li>`).join("")}</ul>
<p class="note">† a stand-in: the source publishes no price for that region, so the us-east-1 price is used; eu-west-1 list prices are usually higher. Method: each GPU pod gets its own node, the cheapest type its GPU NodePool may launch that holds its GPUs, CPU and memory; all other pods share general-purpose nodes, priced as node-equivalents of ${esc(GENERAL_REFERENCE_TYPE)} (the larger of CPU ÷ vCPUs and memory ÷ GiB). Not included: node overhead and DaemonSets, EBS volumes, load balancers, data transfer, the EKS control plane, Savings Plans and Spot.</p>
<div class="scroll" role="region" aria-label="Price table" tabindex="0"><table class="stack"><caption>On-demand price per instance type and region (USD per hour)</caption>
<thead><tr><th scope="col">Instance type</th>${regions.map((g) => `<th scope="col" class="num">${esc(g)}</th>`).join("")}</tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
}

function checkSection(r: FleetReport): string {
  const s = r.check.summary;
  const other = [...r.check.appsFindings, ...r.check.otherFindings];
  return `<section aria-labelledby="check"><h2 id="check">Check</h2>
<p>${s.failures === 0 ? `<span class="ok">✓ clean</span>` : `<span class="bad">✗ ${plural(s.failures, "failure")}</span>`}: ${s.folders} folders, ${s.objects} objects, ${s.rules} rules, ${plural(s.exceptions, "exception")} in use.</p>
${other.length > 0 ? `<p>Findings outside the cluster folders (apps/, unused exceptions, tracked files):</p><ul>${findingItems(other)}</ul>` : ""}
</section>`;
}

function summaryCards(r: FleetReport): string {
  const total = (at: "min" | "max"): number => r.clusters.reduce((n, c) => n + c.cost[at].usdPerMonth, 0);
  const gpus = (at: "min" | "max"): number => r.clusters.reduce((n, c) => n + c.requested[at].gpus, 0);
  const apps = r.cells.reduce((n, c) => n + c.workloads.length, 0);
  const card = (label: string, value: string): string => `<div class="card">${esc(label)}<b>${esc(value)}</b></div>`;
  return `<div class="cards">${card("Clusters", String(r.clusters.length))}${card("Tenants", String(r.tenants.length))}${card("Workloads (all clusters)", String(apps))}${card("GPUs requested", range(gpus("min"), gpus("max")))}${card("Estimated cost / month", `${formatUsd(total("min"))}–${formatUsd(total("max"))}`)}${card("Check", r.check.summary.failures === 0 ? "✓ clean" : `✗ ${r.check.summary.failures} failures`)}</div>`;
}

export function renderHtml(r: FleetReport): string {
  const nav = [
    ...(r.change ? [["change", "Change view"]] : []),
    ["matrix", "Fleet matrix"],
    ["releases", "Releases"],
    ["capacity", "Capacity and cost"],
    ["addons", "Add-ons and waves"],
    ["durability", "Durability"],
    ["prices", "Prices and method"],
    ["check", "Check"],
  ]
    .map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet report</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header>
<h1>Fleet report</h1>
<p class="lede">Generated by <code>npm run report</code> from this repository: the rendered cluster folders, <code>apps/</code>, the fleet and tenant sources and the release pins. No server needed.</p>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
</header>
<main id="main">
${summaryCards(r)}
${r.change ? changeSection(r) : ""}
${matrix(r)}
${releasesSection(r)}
${capacitySection(r)}
${addonsSection(r)}
${durabilitySection(r.durability)}
${pricesSection(r)}
${checkSection(r)}
</main>
<footer><p class="note">Costs are estimates from the price table in <code>generators/fleet/prices.ts</code>; see <a href="#prices">prices and method</a>.</p></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
