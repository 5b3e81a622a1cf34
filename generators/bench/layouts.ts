/**
 * `npm run bench -- --layouts`: layout alternatives measured with the real kustomize, in
 * temp copies only. The generator's layout is not changed; docs/performance.md reports.
 *
 *  1. one build per cluster×tenant folder (today) vs one build per cluster;
 *  2. replica counts by `replicas:` (today) vs a strategic-merge patch vs a JSON 6902 patch per app;
 *  3. how much is hydrated: today's base → env overlay → cluster chain, the env overlay
 *     hydrated into one file, or the whole folder hydrated (the floor).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { generate } from "../generate.js";
import { DEFAULT_FLEET, type Fleet, isProduction } from "../fleet/fleet.js";
import { TENANTS, type TenantSource } from "../tenants/index.js";
import { buildFolder, DEFAULT_PARALLELISM, findKustomize, mapLimit, type Kustomize } from "../render/kustomize.js";
import { parseObjects } from "../argo/manifest-yaml.js";
import { listClusterFolders } from "../render/folders.js";
import { fmtS, GNU_TIME, measuringBuilder, seconds, summarize, type ChildPeak, type Summary } from "./measure.js";
import { removeDir, tempDir } from "./sandbox.js";
import { syntheticFleet, syntheticSources, SYNTHETIC_PINS } from "./synthetic.js";

interface Row {
  experiment: string;
  variant: string;
  subject: string;
  seconds: Summary;
  /** kustomize user+system CPU seconds (GNU time), per run. */
  cpu: Summary;
}

/** The builder every experiment uses: kustomize under GNU time, adding its CPU seconds to `cpu`. */
let cpu: ChildPeak = { bytes: 0, cpu: 0 };
const build = (dir: string, k: Kustomize): Promise<string> => (GNU_TIME ? measuringBuilder(cpu)(dir, k) : buildFolder(dir, k));

async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<{ wall: Summary; cpu: Summary }> {
  await fn();
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    cpu = { bytes: 0, cpu: 0 };
    t.push(await seconds(fn));
    c.push(cpu.cpu ?? NaN);
  }
  return { wall: summarize(t), cpu: summarize(c) };
}

function fixture(fleet: Fleet, sources: readonly TenantSource[]): string {
  const dir = tempDir("layouts");
  generate(dir, fleet, sources, SYNTHETIC_PINS);
  return dir;
}

type K = Record<string, unknown>;
const readK = (dir: string): K => parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as K;
const writeK = (dir: string, k: K): void => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kustomization.yaml"), stringify(k));
};

export async function runLayouts(o: { repo: string; runs: number; log: (line: string) => void }): Promise<void> {
  const k = findKustomize();
  const p = DEFAULT_PARALLELISM;
  const rows: Row[] = [];
  const add = (experiment: string, variant: string, subject: string, s: { wall: Summary; cpu: Summary }): void => {
    rows.push({ experiment, variant, subject, seconds: s.wall, cpu: s.cpu });
    o.log(
      `  ${experiment} | ${variant.padEnd(40)} | ${subject.padEnd(32)} wall median ${fmtS(s.wall.median)} s (min ${fmtS(s.wall.min)}), kustomize cpu median ${fmtS(s.cpu.median)} s`,
    );
  };
  const subjects: { label: string; fleet: Fleet; sources: TenantSource[] }[] = [
    { label: "committed fleet (uiota, 5 apps)", fleet: DEFAULT_FLEET, sources: [...TENANTS] },
    { label: "synthetic tenant, 20 apps", fleet: syntheticFleet(3), sources: syntheticSources(1, 20) },
  ];
  const dirs: string[] = [];
  try {
    // 1. Per cluster×tenant vs per cluster: 10 tenants × 10 apps on 3 clusters.
    {
      const dir = fixture(syntheticFleet(3), syntheticSources(10, 10));
      dirs.push(dir);
      const folders = listClusterFolders(dir);
      const clusters = [...new Set(folders.map((f) => f.cluster))];
      add(
        "1 builds",
        `per cluster×tenant (${folders.length} builds, p=${p})`,
        "synthetic 10×10×3",
        await timeIt(o.runs, () => mapLimit(folders, p, (f) => build(join(dir, f.path), k))),
      );
      for (const c of clusters) {
        writeK(join(dir, "whole", c), { resources: folders.filter((f) => f.cluster === c).map((f) => `../../clusters/${c}/${f.tenant}`) });
      }
      add(
        "1 builds",
        `per cluster (${clusters.length} builds, p=${p})`,
        "synthetic 10×10×3",
        await timeIt(o.runs, () => mapLimit(clusters, p, (c) => build(join(dir, "whole", c), k))),
      );
    }
    for (const subject of subjects) {
      const dir = fixture(subject.fleet, subject.sources);
      dirs.push(dir);
      const tenant = subject.sources[0]?.spec.name ?? "";
      const cluster = subject.fleet.clusters.find((c) => isProduction(subject.fleet, c.env)) ?? subject.fleet.clusters[0];
      if (!cluster) throw new Error("no cluster");
      const folder = join(dir, "clusters", cluster.name, tenant);
      const overlay = join(dir, "overlays", cluster.env, tenant);
      const rendered = parseObjects(await buildFolder(folder, k), folder);
      const workloads = rendered.filter((x) => x.kind === "Deployment" || x.kind === "StatefulSet");
      const kindOf = new Map(workloads.map((x) => [(x.metadata as K).name as string, x.kind as string]));
      const nsOf = new Map(workloads.map((x) => [(x.metadata as K).name as string, (x.metadata as K).namespace as string]));

      // 2. Replica counts three ways, each in its own copy of the env overlay.
      const original = readK(overlay);
      const replicas = (original.replicas as { name: string; count: number }[] | undefined) ?? [];
      const variants: [string, K][] = [
        ["replicas: field (today)", original],
        ["no replica change (baseline)", { ...original, replicas: undefined }],
        [
          "strategic-merge patch per app",
          {
            ...original,
            replicas: undefined,
            patches: [
              ...((original.patches as unknown[]) ?? []),
              ...replicas.map((r) => ({
                patch: stringify({
                  apiVersion: "apps/v1",
                  kind: kindOf.get(r.name) ?? "Deployment",
                  metadata: { name: r.name, namespace: nsOf.get(r.name) },
                  spec: { replicas: r.count },
                }),
              })),
            ],
          },
        ],
        [
          "JSON 6902 patch per app",
          {
            ...original,
            replicas: undefined,
            patches: [
              ...((original.patches as unknown[]) ?? []),
              ...replicas.map((r) => ({
                target: { group: "apps", kind: kindOf.get(r.name) ?? "Deployment", name: r.name },
                patch: stringify([{ op: "replace", path: "/spec/replicas", value: r.count }]),
              })),
            ],
          },
        ],
      ];
      for (const [variant, kz] of variants) {
        const clean = Object.fromEntries(Object.entries(kz).filter(([, v]) => v !== undefined));
        writeK(overlay, clean);
        add("2 replicas", `${variant} (${replicas.length} apps)`, subject.label, await timeIt(o.runs, () => build(folder, k)));
      }
      writeK(overlay, original);

      // 3. How much is hydrated.
      add("3 hydration", "base → env overlay → cluster (today)", subject.label, await timeIt(o.runs, () => build(folder, k)));
      const envHydrated = join(dir, "env-hydrated", cluster.name, tenant);
      mkdirSync(envHydrated, { recursive: true });
      writeFileSync(join(envHydrated, "overlay.yaml"), await buildFolder(overlay, k));
      const clusterK = readK(folder);
      const ownFiles = ((clusterK.resources as string[]) ?? []).filter((r) => !r.startsWith("../"));
      for (const f of ownFiles) writeFileSync(join(envHydrated, f), readFileSync(join(folder, f)));
      writeK(envHydrated, {
        ...clusterK,
        resources: ["overlay.yaml", ...ownFiles],
        components: ((clusterK.components as string[]) ?? []).map((c) => `../../../clusters/${cluster.name}/${tenant}/${c}`),
      });
      add("3 hydration", "env overlay hydrated, cluster layer live", subject.label, await timeIt(o.runs, () => build(envHydrated, k)));
      const full = join(dir, "full-hydrated");
      mkdirSync(full, { recursive: true });
      writeFileSync(join(full, "all.yaml"), await buildFolder(folder, k));
      writeFileSync(join(full, "kustomization.yaml"), "resources: [all.yaml]\n");
      add("3 hydration", "fully hydrated (the floor)", subject.label, await timeIt(o.runs, () => build(full, k)));
    }
    const out = join(o.repo, ".cache", "bench", "layouts.json");
    mkdirSync(join(o.repo, ".cache", "bench"), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), kustomize: k.version, runs: o.runs, rows }, null, 2)}\n`);
    o.log(`written: ${out}`);
  } finally {
    for (const d of dirs) removeDir(d);
  }
}
