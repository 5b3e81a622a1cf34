/** KEDA scaling of one app: bounds per environment, triggers and their credentials. */
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import type { AppSpec, EventScaling, TenantSpec, TriggerAuthSpec } from "../tenant.js";
import { isPerEnvRecord } from "../per-env.js";
import { type Collector, valueFor } from "./collector.js";

/** KEDA scaling: bounds per environment, triggers and their credentials. Returns the largest max. */
export function checkKeda(c: Collector, f: string, tenant: TenantSpec, app: AppSpec, k: EventScaling["keda"]): number {
  const base = `${f}.scaling.keda`;
  const bound = (field: string, n: number): void => {
    if (!Number.isInteger(n) || n < 1)
      c.add(
        field,
        n,
        "must be a whole number of at least 1 (scale to zero is not supported: every KEDA-scaled app keeps a warm replica and a PDB)",
      );
  };
  c.perEnv(`${base}.min`, k.min, bound);
  c.perEnv(`${base}.max`, k.max, bound);
  let maxReplicas = 1;
  for (const env of ENVIRONMENTS) {
    const min = valueFor(k.min, env);
    const max = valueFor(k.max, env);
    if (min !== undefined && max !== undefined && min > max)
      c.add(`${base}.min${isPerEnvRecord(k.min) ? `.${env}` : ""}`, min, `greater than max (${max}) in ${env}; min must be at most max`);
    if (max !== undefined) maxReplicas = Math.max(maxReplicas, max);
  }
  if (k.pollingInterval !== undefined && (!Number.isInteger(k.pollingInterval) || k.pollingInterval < 1))
    c.add(`${base}.pollingInterval`, k.pollingInterval, "must be a whole number of seconds, at least 1");
  if (k.triggers.length === 0) c.add(`${base}.triggers`, [], "declare at least one trigger (kafka, prometheus, cpu or memory)");
  const names: string[] = [];
  const secrets = tenant.secrets ?? [];
  const checkAuth = (field: string, auth: TriggerAuthSpec | undefined): void => {
    if (!auth) return;
    const s = secrets.find((x) => x.name === auth.secret);
    if (!s) {
      c.add(
        `${field}.secret`,
        auth.secret,
        `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}. Trigger credentials must come from an ExternalSecret-managed tenant secret`,
      );
      return;
    }
    if (Object.keys(auth.parameters).length === 0)
      c.add(`${field}.parameters`, {}, "map at least one KEDA parameter to a property of the secret");
    for (const [param, property] of Object.entries(auth.parameters)) {
      if (!s.properties.includes(property))
        c.add(`${field}.parameters.${param}`, property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
    }
  };
  k.triggers.forEach((t, i) => {
    const tf = `${base}.triggers[${i}]`;
    if (t.kafka !== undefined) {
      const kf = t.kafka;
      names.push(kf.name);
      c.dnsLabel(`${tf}.kafka.name`, kf.name, "a trigger name");
      if (!Number.isInteger(kf.lagThreshold) || kf.lagThreshold < 1)
        c.add(`${tf}.kafka.lagThreshold`, kf.lagThreshold, "must be a whole number of messages, at least 1");
      for (const key of ["bootstrapServers", "topic", "consumerGroup"] as const)
        if (!kf[key]) c.add(`${tf}.kafka.${key}`, kf[key], "must not be empty");
      const sasl = kf.sasl ?? "none";
      if (sasl !== "none" && !(kf.auth && "username" in kf.auth.parameters && "password" in kf.auth.parameters)) {
        c.add(`${tf}.kafka.auth`, kf.auth, `sasl "${sasl}" needs auth.parameters username and password from a tenant secret`);
      }
      checkAuth(`${tf}.kafka.auth`, kf.auth);
    } else if (t.prometheus !== undefined) {
      const p = t.prometheus;
      names.push(p.name);
      c.dnsLabel(`${tf}.prometheus.name`, p.name, "a trigger name");
      if (!p.query.trim()) c.add(`${tf}.prometheus.query`, p.query, "must not be empty");
      if (!/^[0-9]+(\.[0-9]+)?$/.test(p.threshold) || Number(p.threshold) <= 0)
        c.add(`${tf}.prometheus.threshold`, p.threshold, 'must be a positive decimal number as a string, e.g. "80"');
      checkAuth(`${tf}.prometheus.auth`, p.auth);
    } else {
      const key = t.cpu !== undefined ? "cpu" : "memory";
      const u = t.cpu?.utilization ?? t.memory?.utilization ?? 0;
      names.push(key);
      if (!Number.isInteger(u) || u < 1) c.add(`${tf}.${key}.utilization`, u, "must be a whole percentage of the request, at least 1");
      if (app.vpa && (app.vpa.mode ?? "Off") !== "Off")
        c.add(
          `${f}.vpa.mode`,
          app.vpa.mode,
          `a VPA that changes requests fights a KEDA ${key} trigger; use mode "Off" or scale on events only`,
        );
    }
  });
  c.unique(`${base}.triggers[].name`, names, "trigger name");
  return maxReplicas;
}
