/**
 * Validates the fleet and every tenant before anything is built. Each problem names
 * the file, the field, the bad value and what is allowed; all problems are reported
 * at once, and generation writes nothing while any remains.
 */
import type { Fleet } from "../fleet/fleet.js";
import { ARGOCD_NAMESPACE } from "../fleet/constants.js";
import type { TenantSource } from "./source.js";
import type { TenantSpec } from "./tenant.js";
import { fleetShapeProblems } from "./schema-fleet.js";
import { tenantShapeProblems } from "./schema.js";
import { tenantNamespace } from "./names.js";
import { validatePins, type Pins } from "./pins.js";
import { formatProblem, SpecError, sortProblems, type SpecProblem } from "./problem.js";
import { labelKey, labelValue, reservedNamespace } from "../rules/names.js";
import { FLEET_FILE, RESERVED_TENANTS, PLATFORM_NAMESPACES, Collector } from "./validate/collector.js";
import { checkApp } from "./validate/app.js";
import { checkJobs } from "./validate/jobs.js";
import { checkAddresses, checkJobCalls, serviceIndex } from "./validate/wiring.js";
import type { ServiceIndex } from "./validate/addresses.js";
import { checkQuotaFits } from "./validate/quota.js";
import { checkLimitRange } from "./validate/limits.js";
import { checkExceptions, checkJobFields, checkKafka, checkNamespaceRefs, checkTenantData } from "./validate/consistency.js";
import { checkDatabases } from "./validate/durability.js";
import { checkAppDurability } from "./validate/durability-volumes.js";
import { checkHosts, checkNamespaces, checkRegistries } from "./validate/cross-tenant.js";

export { formatProblem, SpecError, sortProblems, type SpecProblem };
import { validateFleet } from "./validate/fleet.js";
import { checkFleetFacts } from "./validate/fleet-facts.js";
export { kubeProxySkew, validateFleet } from "./validate/fleet.js";

function checkTenant(fleet: Fleet, src: TenantSource, all: readonly TenantSpec[], idx: ServiceIndex): SpecProblem[] {
  const { spec: tenant, file } = src;
  const c = new Collector(file);
  c.dnsLabel("name", tenant.name, "a tenant name");
  if (RESERVED_TENANTS.includes(tenant.name))
    c.add("name", tenant.name, `reserved for the platform's own Argo CD projects (${RESERVED_TENANTS.join(", ")}); choose another name`);
  if (tenant.namespace !== undefined) c.dnsLabel("namespace", tenant.namespace, "a namespace");
  const ns = tenantNamespace(tenant);
  const reserved =
    reservedNamespace(ns, ARGOCD_NAMESPACE) ?? (PLATFORM_NAMESPACES.includes(ns) ? "a platform component's namespace" : undefined);
  if (reserved)
    c.add(
      tenant.namespace === undefined ? "name" : "namespace",
      ns,
      `a tenant may not run in namespace ${ns}: ${reserved}; set \`namespace\` to a namespace of its own, e.g. "${tenant.name}"`,
    );
  if (tenant.mesh?.sidecarResources) c.resources("mesh.sidecarResources", tenant.mesh.sidecarResources);
  for (const [k, v] of Object.entries(tenant.mesh?.gatewaySelector ?? {})) {
    for (const m of [...labelKey(k).map((x) => `label key ${x}`), ...labelValue(v).map((x) => `label value ${x}`)])
      c.add(`mesh.gatewaySelector.${k}`, v, m);
  }
  c.unique(
    "apps[].name",
    tenant.apps.map((a) => a.name),
    "app name",
  );
  c.unique(
    "secrets[].name",
    (tenant.secrets ?? []).map((s) => s.name),
    "secret name",
  );
  c.unique(
    "configMap names",
    [
      ...tenant.apps.flatMap((a) => (a.configFiles ?? []).map((x) => x.name)),
      ...(tenant.dashboards ?? []).map((d) => d.name),
      ...(tenant.configMaps ?? []).map((m) => m.name),
    ],
    "ConfigMap name",
  );
  for (const m of tenant.configMaps ?? []) c.dnsLabel(`configMaps[${m.name}].name`, m.name, "a ConfigMap name");
  for (const s of tenant.secrets ?? []) c.dnsLabel(`secrets[${s.name}].name`, s.name, "a secret name");
  for (const d of tenant.dashboards ?? []) c.dnsLabel(`dashboards[${d.name}].name`, d.name, "a ConfigMap name");
  for (const a of tenant.apps) {
    for (const x of a.configFiles ?? []) c.dnsLabel(`apps[${a.name}].configFiles[${x.name}].name`, x.name, "a ConfigMap name");
  }
  for (const app of tenant.apps) checkApp(c, fleet, tenant, all, app);
  checkAddresses(c, idx, tenant);
  checkJobCalls(c, fleet, tenant);
  checkJobs(c, tenant);
  checkJobFields(c, tenant);
  checkTenantData(c, tenant);
  checkNamespaceRefs(c, tenant, all);
  checkKafka(c, tenant);
  checkExceptions(c, fleet, tenant);
  checkQuotaFits(c, tenant);
  checkLimitRange(c, tenant);
  checkDatabases(c, fleet, tenant);
  checkAppDurability(c, fleet, tenant);

  return c.problems;
}

/**
 * Root causes first: a source whose shape departs from the API (unknown key, missing or
 * mistyped field, two of an "exactly one of") is reported alone, because every semantic
 * check below assumes the shape and would only add knock-on errors.
 */
export function shapeProblems(fleet: Fleet, sources: readonly TenantSource[]): SpecProblem[] {
  return [
    ...fleetShapeProblems(fleet).map((p) => ({ file: FLEET_FILE, ...p })),
    ...sources.flatMap((s) => tenantShapeProblems(s.spec).map((p) => ({ file: s.file, ...p }))),
  ];
}

/** Every problem in the fleet, the tenants and the release pins (generators/release/pins.json); empty when generation may proceed. */
export function validateAll(fleet: Fleet, sources: readonly TenantSource[], pins: Pins = {}): SpecProblem[] {
  const shape = shapeProblems(fleet, sources);
  if (shape.length > 0) return sortProblems(shape);
  const all = sources.map((s) => s.spec);
  const facts = new Collector(FLEET_FILE);
  checkFleetFacts(facts, fleet, all);
  const problems = [...validateFleet(fleet), ...facts.problems];
  const idx = serviceIndex(all);
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.spec.name))
      problems.push({
        file: s.file,
        field: "name",
        value: s.spec.name,
        message: "another tenant has this name; tenant names must be unique",
      });
    names.add(s.spec.name);
    problems.push(...checkTenant(fleet, s, all, idx));
  }
  problems.push(...checkNamespaces(sources));
  problems.push(...checkHosts(fleet, sources));
  problems.push(...checkRegistries(fleet, sources));
  problems.push(...validatePins(pins, all));
  return sortProblems(problems);
}
