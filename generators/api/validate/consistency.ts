/**
 * Rules across the fields of one tenant, and against the fleet and the controllers:
 * Job schedules and fields, secrets against Secrets Manager and external-secrets,
 * namespaces referenced against those something creates, IAM prefixes against where the
 * Jobs write, Kafka clients' SASL mechanisms against the broker's, exception dates.
 */
import { ARGOCD_NAMESPACE } from "../../fleet/constants.js";
import { ENVIRONMENTS, type Fleet } from "../../fleet/fleet.js";
import { ADDONS } from "../../addons/catalogue.js";
import { brokerMechanisms, KAFKA_SASL_MECHANISMS, KEDA_KAFKA_SASL } from "../../fleet/aws/controllers.js";
import { s3PrefixProblem, secretsManagerNameProblem } from "../../fleet/aws/identifiers.js";
import type { AppSpec, TenantSpec } from "../tenant.js";
import { tenantNamespace } from "../names.js";
import { cronScheduleProblem } from "../../rules/cron.js";
import { goDurationProblem } from "../../rules/duration.js";
import { configMapKey, configMapSizeProblem } from "../../rules/env.js";
import { hostnameProblems } from "../../rules/networking.js";
import { calendarDateProblem } from "../../rules/rbac.js";
import { jobSpecProblems } from "../../rules/workloads.js";
import type { Collector } from "./collector.js";
import { checkConfigFiles, checkEnvNames } from "./fields.js";

/** Namespaces that exist on every cluster without a tenant: Kubernetes', Argo CD's and every add-on's. */
export function platformNamespaces(): string[] {
  return [
    ...new Set(["kube-system", "kube-public", "kube-node-lease", "default", ARGOCD_NAMESPACE, ...ADDONS.map((a) => a.namespace)]),
  ].sort();
}

/** Jobs: schedule (robfig's standard parser), the Job fields, step env names, ports, IAM prefixes against the S3 paths written. */
export function checkJobFields(c: Collector, tenant: TenantSpec): void {
  for (const job of tenant.jobs ?? []) {
    const f = `jobs[${job.name}]`;
    if (job.schedule !== undefined) {
      const m = cronScheduleProblem(job.schedule);
      if (m)
        c.add(
          `${f}.schedule`,
          job.schedule,
          `${m}; write five fields (minute hour day-of-month month day-of-week, e.g. "0 2 * * *") or a descriptor such as "@daily"`,
        );
    }
    for (const p of jobSpecProblems({ backoffLimit: job.backoffLimit, activeDeadlineSeconds: job.activeDeadlineSeconds }))
      c.add(`${f}.${p.field}`, p.value, p.message);
    if (job.runAsUser !== undefined && (!Number.isInteger(job.runAsUser) || job.runAsUser < 1 || job.runAsUser > 2147483647))
      c.add(`${f}.runAsUser`, job.runAsUser, "must be a whole number from 1 to 2147483647: the restricted profile runs as non-root");
    for (const step of job.steps)
      checkEnvNames(c, `${f}.steps[${step.name}].env`, step.env, `${f}.steps[${step.name}].secretEnv`, step.secretEnv);
    checkS3Writes(c, job);
  }
}

/** The S3 keys a Job's steps write (`s3://<bucket>/<key>` in commands, args and env), up to the first shell expansion. */
function s3Keys(job: NonNullable<TenantSpec["jobs"]>[number]): string[] {
  const texts = job.steps.flatMap((s) => [...s.command, ...(s.args ?? []), ...Object.values(s.env ?? {})]);
  const keys: string[] = [];
  for (const t of texts)
    for (const m of t.matchAll(/s3:\/\/[^/\s"']+\/([^\s"']*)/g)) {
      const key = (m[1] ?? "").split("$")[0] ?? "";
      keys.push(key);
    }
  return keys;
}

function checkS3Writes(c: Collector, job: NonNullable<TenantSpec["jobs"]>[number]): void {
  const f = `jobs[${job.name}]`;
  const prefixes = job.s3Write ?? [];
  prefixes.forEach((p, i) => {
    const m = s3PrefixProblem(p);
    if (m) c.add(`${f}.s3Write[${i}]`, p, m);
  });
  const keys = s3Keys(job);
  const covered = (key: string): boolean => prefixes.some((p) => key.startsWith(`${p}/`) || key === p);
  for (const key of keys) {
    if (covered(key)) continue;
    c.add(
      `${f}.s3Write`,
      prefixes,
      `a step writes to s3://…/${key}, which the Job's IAM role (${prefixes.length === 0 ? "none declared" : `below ${prefixes.map((p) => `${p}/`).join(", ")}`}) does not allow: S3 will refuse the upload; make s3Write and the step's path agree (e.g. "${key.split("/").slice(0, 2).join("/").replace(/\/$/, "")}")`,
    );
  }
  for (const p of prefixes)
    if (keys.length > 0 && !keys.some((k) => k.startsWith(`${p}/`) || k === p))
      c.add(
        `${f}.s3Write`,
        p,
        `no step writes below ${p}/ (they write ${keys.map((k) => `s3://…/${k}`).join(", ")}); grant the prefix the Job uses`,
      );
}

/** Secrets: Secrets Manager names, Secret keys, refresh intervals; ConfigMaps and dashboards: keys and sizes. */
export function checkTenantData(c: Collector, tenant: TenantSpec): void {
  (tenant.secrets ?? []).forEach((s) => {
    const f = `secrets[${s.name}]`;
    const full = `${ENVIRONMENTS[0]}/${tenant.name}/${s.remoteKey}`;
    const m = secretsManagerNameProblem(full);
    if (m) c.add(`${f}.remoteKey`, s.remoteKey, `the Secrets Manager name <env>/${tenant.name}/${s.remoteKey}: ${m}`);
    if (
      s.remoteKey.startsWith("/") ||
      s.remoteKey.startsWith(`${tenant.name}/`) ||
      ENVIRONMENTS.some((e) => s.remoteKey.startsWith(`${e}/`))
    )
      c.add(
        `${f}.remoteKey`,
        s.remoteKey,
        `write the key below <env>/${tenant.name}/ only (the generator adds that prefix), e.g. "${s.remoteKey.split("/").pop() ?? s.remoteKey}"`,
      );
    for (const p of s.properties)
      for (const k of configMapKey(p)) c.add(`${f}.properties`, p, `a property becomes a key of the Secret: ${k}`);
    if (s.refreshInterval !== undefined) {
      const r = goDurationProblem(s.refreshInterval);
      if (r) c.add(`${f}.refreshInterval`, s.refreshInterval, `external-secrets reads it with Go's time.ParseDuration: ${r}`);
    }
  });
  for (const m of tenant.configMaps ?? []) checkConfigFiles(c, `configMaps[${m.name}]`, m.files);
  for (const d of tenant.dashboards ?? []) {
    const size = configMapSizeProblem([JSON.stringify(d.dashboard, null, 2)]);
    if (size) c.add(`dashboards[${d.name}].dashboard`, "(dashboard JSON)", `${size}; split the dashboard`);
  }
}

/** Namespaces named in the tenant must exist: a tenant's, or one the platform or an add-on creates. */
export function checkNamespaceRefs(c: Collector, tenant: TenantSpec, all: readonly TenantSpec[]): void {
  const known = new Set([...platformNamespaces(), ...all.map((t) => tenantNamespace(t))]);
  const refer = (field: string, ns: string): void => {
    if (!known.has(ns))
      c.add(
        field,
        ns,
        `no tenant, add-on or Kubernetes itself creates namespace ${ns}, so the rule matches nothing; use one of: ${[...known].sort().join(", ")}`,
      );
  };
  for (const app of tenant.apps) {
    const f = `apps[${app.name}]`;
    (app.network?.ingress ?? []).forEach((r, i) => {
      r.from.forEach((p, j) => {
        if (p.namespace !== undefined) refer(`${f}.network.ingress[${i}].from[${j}].namespace`, p.namespace);
      });
    });
  }
  if (tenant.mesh?.gatewayNamespace !== undefined) refer("mesh.gatewayNamespace", tenant.mesh.gatewayNamespace);
}

/** `host:port` pairs of a bootstrap server list. */
function hostPorts(list: string): { host: string; port: string }[] {
  return list.split(",").map((hp) => {
    const i = hp.trim().lastIndexOf(":");
    return i < 0 ? { host: hp.trim(), port: "" } : { host: hp.trim().slice(0, i), port: hp.trim().slice(i + 1) };
  });
}

/** The tenant's Kafka broker app a host names (`kafka`, `kafka-headless`, `kafka-0.kafka-headless`, with or without the namespace). */
function brokerApp(tenant: TenantSpec, host: string): AppSpec | undefined {
  const labels = host.split(".");
  return tenant.apps.find(
    (a) =>
      brokerMechanisms(a.env) !== undefined &&
      labels.some((l) => l === a.name || l === `${a.name}-headless` || new RegExp(`^${a.name}-[0-9]+$`).test(l)),
  );
}

/** Kafka: bootstrap servers well-formed, and every client's SASL mechanism enabled on the broker it names. */
export function checkKafka(c: Collector, tenant: TenantSpec): void {
  for (const app of tenant.apps) {
    const f = `apps[${app.name}]`;
    (app.scaling.keda?.triggers ?? []).forEach((t, i) => {
      if (!t.kafka) return;
      const tf = `${f}.scaling.keda.triggers[${i}].kafka`;
      const servers = hostPorts(t.kafka.bootstrapServers);
      for (const s of servers) {
        for (const m of hostnameProblems(s.host)) c.add(`${tf}.bootstrapServers`, t.kafka.bootstrapServers, `host ${s.host}: ${m}`);
        if (!/^[0-9]+$/.test(s.port) || Number(s.port) < 1 || Number(s.port) > 65535)
          c.add(
            `${tf}.bootstrapServers`,
            t.kafka.bootstrapServers,
            `each broker is host:port, e.g. "kafka:9092"; ${s.host || "(empty)"} has no valid port`,
          );
      }
      const sasl = t.kafka.sasl ?? "none";
      if (!(sasl in KEDA_KAFKA_SASL)) return;
      const mechanism = KEDA_KAFKA_SASL[sasl];
      const broker = servers.map((s) => brokerApp(tenant, s.host)).find((b) => b !== undefined);
      const enabled = broker ? brokerMechanisms(broker.env) : undefined;
      if (broker && enabled && mechanism !== undefined && !enabled.includes(mechanism))
        c.add(
          `${tf}.sasl`,
          sasl,
          `uses SASL mechanism ${mechanism}, which broker ${broker.name} does not enable (KAFKA_SASL_ENABLED_MECHANISMS: ${enabled.join(",")}); the broker refuses the scaler's connection. Use ${enabled.map((m) => `"${Object.entries(KEDA_KAFKA_SASL).find(([, v]) => v === m)?.[0] ?? m}"`).join(" or ")}`,
        );
      if (broker && enabled && enabled.length > 0 && mechanism === undefined)
        c.add(`${tf}.sasl`, sasl, `broker ${broker.name} requires SASL (${enabled.join(",")}); set sasl to the mechanism it enables`);
    });
    // Clients configured through env: a *SASL_MECHANISM variable (Spring, librdkafka, Kafka's own clients).
    const broker = tenant.apps.find((a) => brokerMechanisms(a.env) !== undefined);
    const enabled = broker ? brokerMechanisms(broker.env) : undefined;
    for (const [key, v] of Object.entries(app.env ?? {})) {
      if (!/SASL_MECHANISM$/.test(key) || /INTER_BROKER/.test(key) || /ENABLED_MECHANISMS$/.test(key)) continue;
      const mech = v.trim().toUpperCase();
      if (!KAFKA_SASL_MECHANISMS.includes(mech))
        c.add(`${f}.env.${key}`, v, `not a Kafka SASL mechanism; Kafka knows ${KAFKA_SASL_MECHANISMS.join(", ")}`);
      else if (broker && enabled && broker !== app && !enabled.includes(mech))
        c.add(
          `${f}.env.${key}`,
          v,
          `broker ${broker.name} enables only ${enabled.join(",")} (its KAFKA_SASL_ENABLED_MECHANISMS); the client's login would be refused. Use ${enabled[0]}`,
        );
    }
    if (broker === app && enabled) {
      for (const m of enabled)
        if (!KAFKA_SASL_MECHANISMS.includes(m))
          c.add(
            `${f}.env.KAFKA_SASL_ENABLED_MECHANISMS`,
            app.env?.KAFKA_SASL_ENABLED_MECHANISMS,
            `${m} is not a Kafka SASL mechanism; Kafka knows ${KAFKA_SASL_MECHANISMS.join(", ")}`,
          );
      const inter = app.env?.KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL;
      if (inter !== undefined && !enabled.includes(inter.trim().toUpperCase()))
        c.add(
          `${f}.env.KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL`,
          inter,
          `must be one of the enabled mechanisms (${enabled.join(",")}); the broker would not start`,
        );
    }
  }
}

/** Exceptions: real calendar dates, and clusters that exist. */
export function checkExceptions(c: Collector, fleet: Fleet, tenant: TenantSpec): void {
  (tenant.exceptions ?? []).forEach((e, i) => {
    const f = `exceptions[${i}]`;
    if (e.expires !== undefined) {
      const m = calendarDateProblem(e.expires);
      if (m) c.add(`${f}.expires`, e.expires, `${m}; write the last day the exception applies as a real date, e.g. "2027-02-28"`);
    }
    if (e.cluster !== undefined && !fleet.clusters.some((cl) => cl.name === e.cluster))
      c.add(`${f}.cluster`, e.cluster, `no such cluster; clusters: ${fleet.clusters.map((cl) => cl.name).join(", ")}`);
  });
}
