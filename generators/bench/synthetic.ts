/**
 * Synthetic fleets for the benchmark: T tenants of A apps each (clones of the UIOTA
 * apps under new names) on C clusters, generated with the real generator.
 */
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { ClusterSpec, Env, Fleet } from "../fleet/fleet.js";
import { DEFAULT_FLEET, ENVIRONMENTS, isProduction } from "../fleet/fleet.js";
import type { TenantSource } from "../tenants/index.js";
import type { Pins } from "../api/pins.js";
import { uiota } from "../tenants/uiota.js";

export interface FleetSize {
  tenants: number;
  apps: number;
  clusters: number;
}

export const sizeLabel = (s: FleetSize): string => `${s.tenants}×${s.apps}×${s.clusters}`;

/** `count` apps shaped like UIOTA's; group g > 0 gets the suffix `-g` on every name it owns or references. */
export function syntheticApps(count: number): AppSpec[] {
  const template = uiota.apps;
  const names = new Set<string>();
  const plan = Array.from({ length: count }, (_, i) => {
    const src = template[i % template.length] as AppSpec;
    const group = Math.floor(i / template.length);
    const suffix = group === 0 ? "" : `-${group}`;
    names.add(`${src.name}${suffix}`);
    return { src, suffix };
  });
  return plan.map(({ src, suffix }) => {
    const rename = (n: string): string => `${n}${suffix}`;
    // Calls (and the addresses in env) keep naming the first group's apps, which every synthetic tenant has.
    const app: AppSpec = { ...src, name: rename(src.name) };
    if (src.configFiles) app.configFiles = src.configFiles.map((c) => ({ ...c, name: rename(c.name) }));
    if (src.exposure?.ingress)
      app.exposure = { ...src.exposure, ingress: { ...src.exposure.ingress, host: rename(src.exposure.ingress.host) } };
    return app;
  });
}

export function syntheticTenant(name: string, apps: number): TenantSpec {
  const spec: TenantSpec = {
    ...uiota,
    name,
    description: `Synthetic tenant ${name}: ${apps} apps shaped like UIOTA's.`,
    apps: syntheticApps(apps),
  };
  delete spec.namespace;
  return spec;
}

/** Synthetic tenants t01, t02, ...; they are generated without release pins (SYNTHETIC_PINS). */
/** Synthetic tenants run their tenant file's own images: no release pins. */
export const SYNTHETIC_PINS: Pins = {};

export function syntheticSources(tenants: number, apps: number): TenantSource[] {
  return Array.from({ length: tenants }, (_, i) => {
    const name = `t${String(i + 1).padStart(2, "0")}`;
    return { file: `generators/bench/synthetic.ts#${name}`, spec: syntheticTenant(name, apps) };
  });
}

/** C clusters named like `dev-usw2-07`, cycling through environments and regions. */
export function syntheticFleet(clusters: number): Fleet {
  const list: ClusterSpec[] = Array.from({ length: clusters }, (_, i) => {
    const env = ENVIRONMENTS[i % ENVIRONMENTS.length] as Env;
    const region = DEFAULT_FLEET.regions[Math.floor(i / ENVIRONMENTS.length) % DEFAULT_FLEET.regions.length];
    if (!region) throw new Error("internal: no region");
    return {
      name: `${env}-${region.short}-${String(i + 1).padStart(2, "0")}`,
      env,
      region: region.name,
      kubernetesVersion: "1.33",
      // 17 hex digits, as AWS gives them; built as text (0x0a… + i is past 2^53, so every id came out the same).
      efsFileSystemId: `fs-0a${i.toString(16).padStart(15, "0")}`,
      oidcIssuerId: (0xe000000 + i).toString(16).toUpperCase().padStart(32, "0"),
      // One /16 per cluster, as Terraform would allocate them.
      vpcCidr: `10.${64 + (i % 192)}.0.0/16`,
    };
  });
  const prod = list.filter((c) => isProduction(DEFAULT_FLEET, c.env)).length;
  if (prod === 1)
    throw new Error(
      `a synthetic fleet of ${clusters} clusters runs prod in one region, which the durability check refuses (volume backups need a copy in another prod region); use 1, 2 or at least 6 clusters`,
    );
  // Each production environment's global names are ordered by one of its clusters (fleet/certificates.ts).
  const environments = DEFAULT_FLEET.environments.map((e) => {
    const { globalCertificateIssuer: _, ...rest } = e;
    const first = list.find((c) => c.env === e.name);
    return e.globalCertificateIssuer !== undefined && first ? { ...rest, globalCertificateIssuer: first.name } : rest;
  });
  return { ...DEFAULT_FLEET, environments, clusters: list };
}
