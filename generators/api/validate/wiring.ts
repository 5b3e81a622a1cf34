/**
 * Connections: every `calls` entry names an app, port, platform service or external that
 * exists (and, across tenants, a port its owner exposes to the caller's tenant); every
 * in-cluster address in an app's env, config files, command and args, and in a Job's
 * steps, names something the app calls (or the app itself), so no address exists without
 * the declaration that opens its network path.
 */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";
import { PLATFORM_SERVICES, type PlatformServiceName } from "../../fleet/constants.js";
import type { Fleet } from "../../fleet/fleet.js";
import { poolerName } from "../components/postgres.js";
import type { AppSpec, JobSpec, TenantSpec } from "../tenant.js";
import type { Call, ExternalSpec } from "../wiring.js";
import { headlessServiceName, tenantNamespace } from "../names.js";
import type { Collector } from "./collector.js";
import { ADDRESS_KEY, findAddresses, ServiceIndex, type ServiceName } from "./addresses.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

/** Every Service name in the fleet a pod could dial: each app's Service and headless Service, and the platform services. */
export function serviceIndex(all: readonly TenantSpec[]): ServiceIndex {
  const names: ServiceName[] = [];
  for (const t of all) {
    const namespace = tenantNamespace(t);
    for (const a of t.apps) {
      const owner = `app:${t.name}/${a.name}`;
      names.push({ namespace, service: a.name, owner }, { namespace, service: headlessServiceName(a), owner });
    }
    // A database's Services: its Pooler (what apps address) and CloudNativePG's <name>-rw|ro|r.
    for (const db of t.databases ?? []) {
      const owner = `db:${t.name}/${db.name}`;
      for (const service of [poolerName(db), `${db.name}-rw`, `${db.name}-ro`, `${db.name}-r`]) names.push({ namespace, service, owner });
    }
  }
  for (const [name, s] of Object.entries(PLATFORM_SERVICES))
    names.push({ namespace: s.namespace, service: s.service, owner: `platform:${name}` });
  return new ServiceIndex(names);
}

/** The handle a tenant file uses for a target: what the fix names. */
function handleFor(owner: string, callerTenant: string): string {
  if (owner.startsWith("platform:")) return `platform["${owner.slice("platform:".length)}"]`;
  const [tenant, app] = owner.slice("app:".length).split("/");
  return tenant === callerTenant ? `wire.port(${app}, "<port>")` : `wire.port(${app}, "<port>", "${tenant}")`;
}

function callOwner(call: Call, tenant: TenantSpec): string | undefined {
  if (call.app !== undefined) return `app:${call.tenant ?? tenant.name}/${call.app}`;
  if (call.platform !== undefined) return `platform:${call.platform}`;
  return undefined;
}

export function checkCalls(c: Collector, fleet: Fleet, tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): void {
  (app.calls ?? []).forEach((call, i) => {
    const f = `apps[${app.name}].calls[${i}]`;
    if (call.app !== undefined) {
      const owner = call.tenant === undefined ? tenant : all.find((t) => t.name === call.tenant);
      if (!owner) {
        c.add(`${f}.tenant`, call.tenant, `unknown tenant; known: ${all.map((t) => t.name).join(", ")}`);
        return;
      }
      const target = owner.apps.find((a) => a.name === call.app);
      if (!target) {
        c.add(`${f}.app`, call.app, `no app of that name in tenant ${owner.name}; known: ${owner.apps.map((a) => a.name).join(", ")}`);
        return;
      }
      if (!target.ports.some((p) => p.name === call.port)) {
        c.add(
          `${f}.port`,
          call.port,
          `${owner.name}/${target.name} has no port of that name; its ports: ${target.ports.map((p) => p.name).join(", ")}`,
        );
        return;
      }
      if (owner !== tenant) {
        const exposed = (target.network?.exposeTo ?? []).some((r) => r.tenants.includes(tenant.name) && r.ports.includes(call.port));
        if (!exposed)
          c.add(
            f,
            `${owner.name}/${target.name}:${call.port}`,
            `tenant ${owner.name} does not expose port ${call.port} of ${target.name} to tenant ${tenant.name}; its owner must add ` +
              `network.exposeTo: [{ tenants: ["${tenant.name}"], ports: ["${call.port}"] }] to apps[${target.name}]`,
          );
      }
      return;
    }
    if (call.platform !== undefined) {
      const svc = PLATFORM_SERVICES[call.platform as PlatformServiceName];
      if ("viaVpc" in svc) requireVpc(c, fleet, `${f}.platform`, call.platform);
      return;
    }
    if (call.external) checkExternal(c, fleet, `${f}.external`, call.external);
  });
}

/** An external: a reason, a real hostname and port, an expiry on open egress, the fleet's VPC ranges for range "vpc". */
function checkExternal(c: Collector, fleet: Fleet, f: string, e: ExternalSpec): void {
  if (e.reason.trim().length < 10)
    c.add(`${f}.reason`, e.reason, "say why the app calls this host (at least a short sentence); reviewers read it");
  if (!HOSTNAME.test(e.host.replace(/^\*\./, "")))
    c.add(
      `${f}.host`,
      e.host,
      'a fully qualified DNS name outside the cluster, e.g. "api.anthropic.com" ("*.rds.amazonaws.com" when the exact endpoint is in a secret)',
    );
  if (/\.(svc|cluster\.local)$/.test(e.host) || e.host.endsWith(`.${SERVICE_DOMAIN}`))
    c.add(`${f}.host`, e.host, "an in-cluster name is not external; call the app with wire.port(...) or a platform service");
  if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) c.add(`${f}.port`, e.port, "a TCP port, 1-65535");
  if (e.range === "internet") {
    if (e.expires === undefined || !DAY.test(e.expires))
      c.add(
        `${f}.expires`,
        e.expires,
        'egress to 0.0.0.0/0 is an exception: give the last day it is accepted, YYYY-MM-DD, e.g. "2027-03-31"; or use range "vpc"',
      );
  } else {
    if (e.expires !== undefined) c.add(`${f}.expires`, e.expires, 'only range "internet" expires; drop `expires`');
    requireVpc(c, fleet, `${f}.range`, "vpc");
  }
}

/** A Job's calls: externals only, open egress (Jobs get no per-cluster VPC policy); apps admit Jobs with `{ job }` peers. */
export function checkJobCalls(c: Collector, fleet: Fleet, tenant: TenantSpec): void {
  for (const job of tenant.jobs ?? []) {
    (job.calls ?? []).forEach((call, i) => {
      const f = `jobs[${job.name}].calls[${i}].external`;
      checkExternal(c, fleet, f, call.external);
      if (call.external.range === "vpc")
        c.add(
          `${f}.range`,
          "vpc",
          'a Job reaches hosts outside the cluster with range "internet" (and `expires`); VPC-range Jobs are not supported yet',
        );
    });
  }
}

/** A VPC-range connection needs every cluster's `vpcCidr`; reported once per missing cluster on the calling field. */
function requireVpc(c: Collector, fleet: Fleet, field: string, value: string): void {
  const missing = fleet.clusters.filter((cl) => !cl.vpcCidr).map((cl) => cl.name);
  if (missing.length > 0)
    c.add(
      field,
      value,
      `reached through the cluster's VPC range, but generators/fleet/fleet.ts has no vpcCidr for ${missing.join(", ")}; add each cluster's VPC CIDR (a Terraform output)`,
    );
}

/** Free text of an app a pod reads addresses from, as [field, text, whole-value-is-an-address]. */
function appTexts(app: AppSpec): [string, string, boolean][] {
  const f = `apps[${app.name}]`;
  return [
    ...Object.entries(app.env ?? {}).map(([k, v]): [string, string, boolean] => [`${f}.env.${k}`, v, ADDRESS_KEY.test(k)]),
    ...(app.configFiles ?? []).flatMap((cf) =>
      Object.entries(cf.files).map(([name, v]): [string, string, boolean] => [`${f}.configFiles[${cf.name}].files["${name}"]`, v, false]),
    ),
    ...(app.command ?? []).map((v, i): [string, string, boolean] => [`${f}.command[${i}]`, v, false]),
    ...(app.args ?? []).map((v, i): [string, string, boolean] => [`${f}.args[${i}]`, v, false]),
    ...(app.initContainers ?? []).flatMap((ic) =>
      ic.command.map((v, i): [string, string, boolean] => [`${f}.initContainers[${ic.name}].command[${i}]`, v, false]),
    ),
  ];
}

function jobTexts(job: JobSpec): [string, string, boolean][] {
  return job.steps.flatMap((s) => {
    const f = `jobs[${job.name}].steps[${s.name}]`;
    return [
      ...Object.entries(s.env ?? {}).map(([k, v]): [string, string, boolean] => [`${f}.env.${k}`, v, ADDRESS_KEY.test(k)]),
      ...s.command.map((v, i): [string, string, boolean] => [`${f}.command[${i}]`, v, false]),
      ...(s.args ?? []).map((v, i): [string, string, boolean] => [`${f}.args[${i}]`, v, false]),
    ];
  });
}

function checkTexts(
  c: Collector,
  idx: ServiceIndex,
  namespace: string,
  texts: readonly [string, string, boolean][],
  allowed: ReadonlySet<string>,
  how: (owner: string) => string,
): void {
  for (const [field, text, whole] of texts) {
    for (const found of findAddresses(text, namespace, idx, whole)) {
      const owner = found.target?.owner;
      if (owner !== undefined && allowed.has(owner)) continue;
      c.add(
        field,
        text,
        owner === undefined
          ? `names ${found.text}, which is no Service of any tenant or of the platform; call an app or platform service through its handle`
          : `names ${found.text} (${owner.replace(/^app:|^platform:/, "")}) as a literal in-cluster address; declare the call and take the address from its handle: ${how(owner)}`,
      );
    }
  }
}

/** The databases of the tenant that list a client matching `is` (api/components/postgres.ts), as address owners. */
function databasesOf(tenant: TenantSpec, is: (client: { app?: string; job?: string }) => boolean): string[] {
  return (tenant.databases ?? []).filter((db) => db.clients.some(is)).map((db) => `db:${tenant.name}/${db.name}`);
}

/** Every in-cluster address an app or Job names must be one it calls (or itself, or for a Job an app that admits it). */
export function checkAddresses(c: Collector, idx: ServiceIndex, tenant: TenantSpec): void {
  const namespace = tenantNamespace(tenant);
  for (const app of tenant.apps) {
    const allowed = new Set<string>([`app:${tenant.name}/${app.name}`, ...databasesOf(tenant, (c) => c.app === app.name)]);
    for (const call of app.calls ?? []) {
      const o = callOwner(call, tenant);
      if (o) allowed.add(o);
    }
    checkTexts(c, idx, namespace, appTexts(app), allowed, (o) =>
      o.startsWith("db:")
        ? `list this app in the database's clients (databases[${o.slice(o.indexOf("/") + 1)}].clients of tenant ${o.slice(3, o.indexOf("/"))}) and take its address from postgresHost(db) (api/components/postgres.ts)`
        : `calls: [${handleFor(o, tenant.name)}.call] and use that handle's address (api/components/wiring.ts)`,
    );
  }
  for (const job of tenant.jobs ?? []) {
    const allowed = new Set<string>(
      tenant.apps
        .filter((a) => (a.network?.ingress ?? []).some((r) => r.from.some((p) => p.job === job.name)))
        .map((a) => `app:${tenant.name}/${a.name}`)
        .concat(databasesOf(tenant, (c) => c.job === job.name)),
    );
    checkTexts(
      c,
      idx,
      namespace,
      jobTexts(job),
      allowed,
      (o) =>
        `admit the Job on the callee: network.ingress: [{ from: [{ job: "${job.name}" }], ports: [...] }] on ${o.replace(/^app:[^/]+\//, "apps[")}]`,
    );
  }
  // tenant.configMaps are read by platform agents, not by the tenant's pods: no caller to declare (docs/tenants/autonomous-op.md).
}
