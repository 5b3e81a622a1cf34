/**
 * Validates the fleet and every tenant before anything is built. Each problem names
 * the file, the field, the bad value and what is allowed; all problems are reported
 * at once, and generation writes nothing while any remains.
 */
import { ENVIRONMENTS, REGIONS, type ClusterSpec, type Env, type Fleet } from "../fleet/fleet.js";
import { hostsFor } from "../fleet/domains.js";
import type { TenantSource } from "./source.js";
import type { AppSpec, EventScaling, PerEnv, Peer, ProbeSpec, TenantSpec, TriggerAuthSpec } from "./tenant.js";
import { forEnv, isPerEnvRecord } from "./per-env.js";
import { ISTIO_SIDECAR_DEFAULTS } from "../fleet/constants.js";
import { maxReplicas } from "./replicas.js";
import { validatePins, type Pins } from "../release/pins.js";
import { formatProblem, SpecError, type SpecProblem } from "./problem.js";

export { formatProblem, SpecError, type SpecProblem };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Names that carry credentials; their values must come from `secretEnv`. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const FLEET_FILE = "generators/fleet/fleet.ts";
/** Names of Argo CD projects the pipeline itself owns. */
const RESERVED_TENANTS: readonly string[] = ["platform", "bootstrap", "default"];

class Collector {
  readonly problems: SpecProblem[] = [];
  constructor(private readonly file: string) {}
  add(field: string, value: unknown, message: string): void {
    this.problems.push({ file: this.file, field, value, message });
  }
  dnsLabel(field: string, value: string, what: string): void {
    if (value.length > 63 || !DNS_LABEL.test(value)) {
      this.add(field, value, `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`);
    }
  }
  unique(field: string, values: readonly string[], what: string): void {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) this.add(field, v, `duplicate ${what}; each ${what} must be unique`);
      seen.add(v);
    }
  }
  quantity(field: string, value: string): void {
    if (!QUANTITY.test(value)) this.add(field, value, `not a Kubernetes quantity; write e.g. "500m", "2", "512Mi" or "8Gi"`);
  }
  /** Checks a per-environment value's keys and each entry. */
  perEnv<T>(field: string, value: PerEnv<T>, check: (field: string, v: T) => void): void {
    if (!isPerEnvRecord(value)) {
      check(field, value as T);
      return;
    }
    for (const key of Object.keys(value)) {
      if (!(ENVIRONMENTS as readonly string[]).includes(key)) this.add(`${field}.${key}`, key, `unknown environment; allowed: ${ENVIRONMENTS.join(", ")}`);
    }
    for (const env of ENVIRONMENTS) {
      const v = (value as Record<string, T | undefined>)[env];
      if (v === undefined) this.add(`${field}.${env}`, undefined, `missing; a per-environment value needs every environment (${ENVIRONMENTS.join(", ")})`);
      else check(`${field}.${env}`, v);
    }
  }
}

export function validateFleet(fleet: Fleet): SpecProblem[] {
  const c = new Collector(FLEET_FILE);
  fleet.environments.forEach((e, i) => {
    if (!(ENVIRONMENTS as readonly string[]).includes(e.name)) c.add(`environments[${i}].name`, e.name, `unknown environment; allowed: ${ENVIRONMENTS.join(", ")}`);
  });
  fleet.regions.forEach((r, i) => {
    if (!(REGIONS as readonly string[]).includes(r.name)) c.add(`regions[${i}].name`, r.name, `unknown region; allowed: ${REGIONS.join(", ")} (add it to REGIONS first)`);
    r.gpuPool?.instanceTypes.forEach((t, j) => {
      if (!Number.isInteger(t.gpus) || t.gpus < 1) c.add(`regions[${r.name}].gpuPool.instanceTypes[${j}].gpus`, t.gpus, "must be a whole number of at least 1");
    });
  });
  c.unique("clusters[].name", fleet.clusters.map((x) => x.name), "cluster name");
  fleet.clusters.forEach((cl) => {
    const f = `clusters[${cl.name}]`;
    c.dnsLabel(`${f}.name`, cl.name, "a cluster name");
    if (!fleet.environments.some((e) => e.name === cl.env)) c.add(`${f}.env`, cl.env, `unknown environment; allowed: ${fleet.environments.map((e) => e.name).join(", ")}`);
    if (!fleet.regions.some((r) => r.name === cl.region)) c.add(`${f}.region`, cl.region, `unknown region; allowed: ${fleet.regions.map((r) => r.name).join(", ")}`);
    if (!/^1\.[0-9]{2}$/.test(cl.kubernetesVersion)) c.add(`${f}.kubernetesVersion`, cl.kubernetesVersion, 'write the minor version, e.g. "1.33"');
  });
  return c.problems;
}

function probePort(p: ProbeSpec): string | undefined {
  if ("http" in p) return p.http.port;
  if ("tcp" in p) return p.tcp.port;
  return undefined;
}

function checkPeer(c: Collector, field: string, peer: Peer, tenant: TenantSpec, all: readonly TenantSpec[]): void {
  if ("job" in peer) {
    const jobs = tenant.jobs ?? [];
    if (!jobs.some((j) => j.name === peer.job)) c.add(`${field}.job`, peer.job, `no job of that name in this tenant's \`jobs\`; known: ${jobs.map((j) => j.name).join(", ") || "none"}`);
    return;
  }
  if (!("app" in peer)) return;
  const owner = peer.tenant ? all.find((t) => t.name === peer.tenant) : tenant;
  if (!owner) {
    c.add(`${field}.tenant`, peer.tenant, `unknown tenant; known: ${all.map((t) => t.name).join(", ")}`);
    return;
  }
  if (!owner.apps.some((a) => a.name === peer.app)) c.add(`${field}.app`, peer.app, `no app of that name in tenant ${owner.name}; known: ${owner.apps.map((a) => a.name).join(", ")}`);
}

function checkApp(c: Collector, fleet: Fleet, tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): void {
  const f = `apps[${app.name}]`;
  c.dnsLabel(`${f}.name`, app.name, "an app name");
  const portNames = app.ports.map((p) => p.name);
  const hasPort = (field: string, name: string): void => {
    if (!portNames.includes(name)) c.add(field, name, `no port of that name; declared ports: ${portNames.join(", ") || "none"}`);
  };

  // Image
  if (!app.image.repository || /[:@]/.test(app.image.repository.split("/").pop() ?? "")) c.add(`${f}.image.repository`, app.image.repository, "give the repository without tag or digest");
  if (!app.image.tag || app.image.tag === "latest") c.add(`${f}.image.tag`, app.image.tag, 'pin an immutable version tag such as "1.4.2"; "latest" and empty tags are not allowed');
  if (app.image.digest !== undefined && !DIGEST.test(app.image.digest)) c.add(`${f}.image.digest`, app.image.digest, 'must be "sha256:" followed by 64 hex digits');

  // Ports
  if (app.ports.length === 0) c.add(`${f}.ports`, [], "declare at least one port");
  c.unique(`${f}.ports[].name`, portNames, "port name");
  c.unique(`${f}.ports[].containerPort`, app.ports.map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`), "container port and protocol");
  app.ports.forEach((p) => {
    const pf = `${f}.ports[${p.name}]`;
    if (p.name.length > 15 || !PORT_NAME.test(p.name)) c.add(`${pf}.name`, p.name, "a port name is at most 15 lowercase letters, digits and '-', with at least one letter");
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1024 || p.containerPort > 65535) {
      c.add(`${pf}.containerPort`, p.containerPort, "must be 1024-65535: non-root containers cannot bind privileged ports; set servicePort to keep a well-known port on the Service");
    }
    if (p.servicePort !== undefined && (!Number.isInteger(p.servicePort) || p.servicePort < 1 || p.servicePort > 65535)) c.add(`${pf}.servicePort`, p.servicePort, "must be 1-65535");
  });

  // Probes
  const probes = app.probes ?? {};
  for (const kind of ["readiness", "liveness", "startup"] as const) {
    const p = probes[kind];
    const port = p ? probePort(p) : undefined;
    if (port !== undefined) hasPort(`${f}.probes.${kind}.port`, port);
  }
  if ((!probes.readiness || !probes.liveness) && !app.ports.some((p) => (p.protocol ?? "TCP") === "TCP")) {
    c.add(`${f}.probes`, undefined, "the default probes connect to the first TCP port and this app has none; declare readiness and liveness probes");
  }

  // Resources
  c.perEnv(`${f}.resources`, app.resources, (field, r) => {
    c.quantity(`${field}.requests.cpu`, r.requests.cpu);
    c.quantity(`${field}.requests.memory`, r.requests.memory);
    c.quantity(`${field}.limits.memory`, r.limits.memory);
    if (r.limits.cpu !== undefined) c.quantity(`${field}.limits.cpu`, r.limits.cpu);
  });

  // GPUs
  const gpus = app.gpus ?? 0;
  if (!Number.isInteger(gpus) || gpus < 0) c.add(`${f}.gpus`, gpus, "must be a whole number, 0 or more");
  if (gpus > 0) {
    for (const cluster of fleet.clusters) {
      const region = fleet.regions.find((r) => r.name === cluster.region);
      if (!region) continue;
      if (!region.gpuPool) {
        c.add(`${f}.gpus`, gpus, `region ${region.name} (cluster ${cluster.name}) has no GPU pool; add gpuPool to the region in ${FLEET_FILE} or keep the app off GPUs`);
      } else if (!region.gpuPool.instanceTypes.some((t) => t.gpus >= gpus)) {
        c.add(`${f}.gpus`, gpus, `no instance type of GPU pool ${region.gpuPool.name} in ${region.name} has ${gpus} GPUs; largest has ${Math.max(...region.gpuPool.instanceTypes.map((t) => t.gpus))}`);
      }
    }
  }

  // Config and secrets
  for (const [name, value] of Object.entries(app.env ?? {})) {
    if (SECRET_NAME.test(name)) c.add(`${f}.env.${name}`, value, "looks like a secret given as a literal; add it to the tenant's `secrets` and reference it from `secretEnv`");
    else if (CREDENTIAL_URL.test(value)) c.add(`${f}.env.${name}`, value, "a URL with embedded credentials is a secret; move it to the tenant's `secrets` and use `secretEnv`");
  }
  const secrets = tenant.secrets ?? [];
  for (const [name, ref] of Object.entries(app.secretEnv ?? {})) {
    const s = secrets.find((x) => x.name === ref.secret);
    if (!s) c.add(`${f}.secretEnv.${name}.secret`, ref.secret, `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`);
    else if (!s.properties.includes(ref.property)) c.add(`${f}.secretEnv.${name}.property`, ref.property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
  }
  (app.secretMounts ?? []).forEach((m, i) => {
    if (!secrets.some((x) => x.name === m.secret)) c.add(`${f}.secretMounts[${i}].secret`, m.secret, `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`);
  });

  // Storage
  c.unique(`${f}.storage[].name`, (app.storage ?? []).map((s) => s.name), "volume name");
  for (const s of app.storage ?? []) {
    c.dnsLabel(`${f}.storage[${s.name}].name`, s.name, "a volume name");
    c.quantity(`${f}.storage[${s.name}].size`, s.size);
  }

  // Scaling
  const replicaCheck = (field: string, n: number): void => {
    if (!Number.isInteger(n) || n < 1) c.add(field, n, "must be a whole number of at least 1");
  };
  let maxReplicas = 1;
  if ("autoscale" in app.scaling) {
    const a = app.scaling.autoscale;
    c.perEnv(`${f}.scaling.autoscale.min`, a.min, replicaCheck);
    c.perEnv(`${f}.scaling.autoscale.max`, a.max, replicaCheck);
    for (const env of ENVIRONMENTS) {
      const min = valueFor(a.min, env);
      const max = valueFor(a.max, env);
      if (min !== undefined && max !== undefined && min > max) c.add(`${f}.scaling.autoscale.min.${env}`, min, `greater than max (${max}); min must be at most max`);
      if (max !== undefined) maxReplicas = Math.max(maxReplicas, max);
    }
    if (app.vpa && (app.vpa.mode ?? "Off") !== "Off" && (a.cpuUtilization !== undefined || a.memoryUtilization !== undefined || (a.podMetrics ?? []).length === 0)) {
      c.add(`${f}.vpa.mode`, app.vpa.mode, 'a VPA that changes requests fights an HPA scaling on CPU or memory; use mode "Off" or scale on custom metrics only');
    }
  } else if ("keda" in app.scaling) {
    maxReplicas = Math.max(maxReplicas, checkKeda(c, f, tenant, app, app.scaling.keda));
  } else {
    c.perEnv(`${f}.scaling.replicas`, app.scaling.replicas, replicaCheck);
    for (const env of ENVIRONMENTS) maxReplicas = Math.max(maxReplicas, valueFor(app.scaling.replicas, env) ?? 1);
  }
  if ((app.kind ?? "Deployment") === "Deployment" && maxReplicas > 1) {
    for (const s of app.storage ?? []) {
      if ((s.accessMode ?? "ReadWriteOnce") !== "ReadWriteMany" && (s.accessMode ?? "ReadWriteOnce") !== "ReadOnlyMany") {
        c.add(`${f}.storage[${s.name}].accessMode`, s.accessMode ?? "ReadWriteOnce", "replicas of a Deployment cannot share a ReadWriteOnce volume; use kind StatefulSet for per-replica data, or ReadWriteMany on shared-efs");
      }
    }
  }

  // Exposure, network, monitoring
  const ingress = app.exposure?.ingress;
  if (ingress) {
    c.dnsLabel(`${f}.exposure.ingress.host`, ingress.host, "an ingress host label");
    ingress.paths.forEach((p, i) => {
      hasPort(`${f}.exposure.ingress.paths[${i}].port`, p.port);
      if (!p.path.startsWith("/")) c.add(`${f}.exposure.ingress.paths[${i}].path`, p.path, 'must start with "/"');
    });
  }
  (app.network?.ingress ?? []).forEach((r, i) => {
    r.ports.forEach((p, j) => hasPort(`${f}.network.ingress[${i}].ports[${j}]`, p));
    r.from.forEach((peer, j) => checkPeer(c, `${f}.network.ingress[${i}].from[${j}]`, peer, tenant, all));
  });
  if (app.monitoring) hasPort(`${f}.monitoring.port`, app.monitoring.port);
  (app.initContainers ?? []).forEach((init, i) => c.dnsLabel(`${f}.initContainers[${i}].name`, init.name, "a container name"));
  checkTraffic(c, tenant, app, hasPort);
}

function checkTraffic(c: Collector, tenant: TenantSpec, app: AppSpec, hasPort: (field: string, name: string) => void): void {
  const t = app.traffic;
  if (!t) return;
  const f = `apps[${app.name}].traffic`;
  if (!tenant.mesh) c.add(f, "traffic", "VirtualServices and DestinationRules need the mesh; set the tenant's `mesh` or drop `traffic`");
  if (t.port !== undefined) hasPort(`${f}.port`, t.port);
  if (t.retries && (!Number.isInteger(t.retries.attempts) || t.retries.attempts < 0)) c.add(`${f}.retries.attempts`, t.retries.attempts, "must be a whole number, 0 or more");
  if (t.gateway) {
    c.dnsLabel(`${f}.gateway.host`, t.gateway.host, "a gateway host label");
    if (t.gateway.host === app.exposure?.ingress?.host) c.add(`${f}.gateway.host`, t.gateway.host, "the NGINX Ingress already serves this host; give the Istio gateway its own host label");
    t.gateway.paths.forEach((p, i) => {
      hasPort(`${f}.gateway.paths[${i}].port`, p.port);
      if (!p.path.startsWith("/")) c.add(`${f}.gateway.paths[${i}].path`, p.path, 'must start with "/"');
    });
  }
}

const CRON = /^(\S+\s+){4}\S+$/;

const UNITS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

/** A Kubernetes quantity as a number (cores or bytes); NaN when it is not one. */
export function quantityValue(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/.exec(q);
  if (!m) return Number.NaN;
  return Number(m[1]) * (UNITS[m[2] ?? ""] ?? Number.NaN);
}

/**
 * A quota smaller than the apps at their scaling maximum silently caps the HPAs:
 * the ReplicaSet cannot create the pods the HPA asks for. Sidecars count too.
 */
function checkQuotaFits(c: Collector, tenant: TenantSpec): void {
  if (!tenant.quota) return;
  const sidecar = tenant.mesh ? (tenant.mesh.sidecarResources ?? ISTIO_SIDECAR_DEFAULTS) : undefined;
  for (const env of ENVIRONMENTS) {
    const q = forEnv(tenant.quota, env);
    const need = { "requests.cpu": 0, "requests.memory": 0, "limits.cpu": 0, "limits.memory": 0, pods: 0 };
    for (const app of tenant.apps) {
      const n = maxReplicas(app, env);
      const r = forEnv(app.resources, env);
      need["requests.cpu"] += n * (quantityValue(r.requests.cpu) + quantityValue(sidecar?.requests.cpu ?? "0"));
      need["requests.memory"] += n * (quantityValue(r.requests.memory) + quantityValue(sidecar?.requests.memory ?? "0"));
      need["limits.cpu"] += n * (quantityValue(r.limits.cpu ?? r.requests.cpu) + quantityValue(sidecar?.limits.cpu ?? "0"));
      need["limits.memory"] += n * (quantityValue(r.limits.memory) + quantityValue(sidecar?.limits.memory ?? "0"));
      need.pods += n;
    }
    const have: Record<keyof typeof need, string | undefined> = {
      "requests.cpu": q.requests.cpu,
      "requests.memory": q.requests.memory,
      "limits.cpu": q.limits.cpu,
      "limits.memory": q.limits.memory,
      pods: q.pods === undefined ? undefined : String(q.pods),
    };
    for (const key of Object.keys(need) as (keyof typeof need)[]) {
      const h = have[key];
      if (h === undefined) continue;
      const needed = need[key];
      if (quantityValue(h) < needed * 0.9999) {
        const shown = key.endsWith("memory") ? `${Math.ceil(needed / 2 ** 30)}Gi` : key.endsWith("cpu") ? `${Math.ceil(needed * 10) / 10}` : String(needed);
        c.add(`quota.${env}.${key}`, h, `smaller than the apps need at their maximum replicas (${shown}, sidecars included); raise it or lower the autoscaling maxima`);
      }
    }
  }
}

function checkJobs(c: Collector, tenant: TenantSpec): void {
  const jobs = tenant.jobs ?? [];
  c.unique("jobs[].name", jobs.map((j) => j.name), "job name");
  const secrets = tenant.secrets ?? [];
  for (const job of jobs) {
    const f = `jobs[${job.name}]`;
    c.dnsLabel(`${f}.name`, job.name, "a job name");
    if (tenant.apps.some((a) => a.name === job.name)) c.add(`${f}.name`, job.name, "an app has this name; jobs and apps share ServiceAccount and NetworkPolicy names");
    if (job.schedule !== undefined && !CRON.test(job.schedule.trim())) c.add(`${f}.schedule`, job.schedule, 'a cron expression has five fields, e.g. "0 2 * * *"');
    if (job.steps.length === 0) c.add(`${f}.steps`, [], "declare at least one step");
    c.unique(`${f}.steps[].name`, job.steps.map((s) => s.name), "step name");
    for (const step of job.steps) {
      const sf = `${f}.steps[${step.name}]`;
      c.dnsLabel(`${sf}.name`, step.name, "a container name");
      if (!step.image.tag || step.image.tag === "latest") c.add(`${sf}.image.tag`, step.image.tag, 'pin an immutable version tag; "latest" and empty tags are not allowed');
      for (const [name, value] of Object.entries(step.env ?? {})) {
        if (SECRET_NAME.test(name) || CREDENTIAL_URL.test(value)) c.add(`${sf}.env.${name}`, value, "looks like a secret given as a literal; use `secretEnv` with a tenant secret");
      }
      for (const [name, ref] of Object.entries(step.secretEnv ?? {})) {
        const s = secrets.find((x) => x.name === ref.secret);
        if (!s) c.add(`${sf}.secretEnv.${name}.secret`, ref.secret, `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`);
        else if (!s.properties.includes(ref.property)) c.add(`${sf}.secretEnv.${name}.property`, ref.property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
      }
    }
  }
  if (tenant.quota) {
    c.perEnv("quota", tenant.quota, (field, q) => {
      c.quantity(`${field}.requests.cpu`, q.requests.cpu);
      c.quantity(`${field}.requests.memory`, q.requests.memory);
      c.quantity(`${field}.limits.memory`, q.limits.memory);
      if (q.limits.cpu !== undefined) c.quantity(`${field}.limits.cpu`, q.limits.cpu);
      if (q.storage !== undefined) c.quantity(`${field}.storage`, q.storage);
    });
  }
}

/** KEDA scaling: bounds per environment, triggers and their credentials. Returns the largest max. */
function checkKeda(c: Collector, f: string, tenant: TenantSpec, app: AppSpec, k: EventScaling["keda"]): number {
  const base = `${f}.scaling.keda`;
  const bound = (field: string, n: number): void => {
    if (!Number.isInteger(n) || n < 1) c.add(field, n, "must be a whole number of at least 1 (scale to zero is not supported: every KEDA-scaled app keeps a warm replica and a PDB)");
  };
  c.perEnv(`${base}.min`, k.min, bound);
  c.perEnv(`${base}.max`, k.max, bound);
  let maxReplicas = 1;
  for (const env of ENVIRONMENTS) {
    const min = valueFor(k.min, env);
    const max = valueFor(k.max, env);
    if (min !== undefined && max !== undefined && min > max) c.add(`${base}.min${isPerEnvRecord(k.min) ? `.${env}` : ""}`, min, `greater than max (${max}) in ${env}; min must be at most max`);
    if (max !== undefined) maxReplicas = Math.max(maxReplicas, max);
  }
  if (k.pollingInterval !== undefined && (!Number.isInteger(k.pollingInterval) || k.pollingInterval < 1)) c.add(`${base}.pollingInterval`, k.pollingInterval, "must be a whole number of seconds, at least 1");
  if (k.triggers.length === 0) c.add(`${base}.triggers`, [], "declare at least one trigger (kafka, prometheus, cpu or memory)");
  const names: string[] = [];
  const secrets = tenant.secrets ?? [];
  const checkAuth = (field: string, auth: TriggerAuthSpec | undefined): void => {
    if (!auth) return;
    const s = secrets.find((x) => x.name === auth.secret);
    if (!s) {
      c.add(`${field}.secret`, auth.secret, `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}. Trigger credentials must come from an ExternalSecret-managed tenant secret`);
      return;
    }
    if (Object.keys(auth.parameters).length === 0) c.add(`${field}.parameters`, {}, "map at least one KEDA parameter to a property of the secret");
    for (const [param, property] of Object.entries(auth.parameters)) {
      if (!s.properties.includes(property)) c.add(`${field}.parameters.${param}`, property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
    }
  };
  k.triggers.forEach((t, i) => {
    const tf = `${base}.triggers[${i}]`;
    const kinds = (["kafka", "prometheus", "cpu", "memory"] as const).filter((key) => key in t);
    if (kinds.length !== 1) {
      c.add(tf, Object.keys(t), "a trigger has exactly one of: kafka, prometheus, cpu, memory");
      return;
    }
    if ("kafka" in t) {
      const kf = t.kafka;
      names.push(kf.name);
      c.dnsLabel(`${tf}.kafka.name`, kf.name, "a trigger name");
      if (!Number.isInteger(kf.lagThreshold) || kf.lagThreshold < 1) c.add(`${tf}.kafka.lagThreshold`, kf.lagThreshold, "must be a whole number of messages, at least 1");
      for (const key of ["bootstrapServers", "topic", "consumerGroup"] as const) if (!kf[key]) c.add(`${tf}.kafka.${key}`, kf[key], "must not be empty");
      const sasl = kf.sasl ?? "none";
      if (sasl !== "none" && !(kf.auth && "username" in kf.auth.parameters && "password" in kf.auth.parameters)) {
        c.add(`${tf}.kafka.auth`, kf.auth, `sasl "${sasl}" needs auth.parameters username and password from a tenant secret`);
      }
      checkAuth(`${tf}.kafka.auth`, kf.auth);
    } else if ("prometheus" in t) {
      const p = t.prometheus;
      names.push(p.name);
      c.dnsLabel(`${tf}.prometheus.name`, p.name, "a trigger name");
      if (!p.query.trim()) c.add(`${tf}.prometheus.query`, p.query, "must not be empty");
      if (!/^[0-9]+(\.[0-9]+)?$/.test(p.threshold) || Number(p.threshold) <= 0) c.add(`${tf}.prometheus.threshold`, p.threshold, 'must be a positive decimal number as a string, e.g. "80"');
      checkAuth(`${tf}.prometheus.auth`, p.auth);
    } else {
      const key = "cpu" in t ? "cpu" : "memory";
      const u = "cpu" in t ? t.cpu.utilization : t.memory.utilization;
      names.push(key);
      if (!Number.isInteger(u) || u < 1) c.add(`${tf}.${key}.utilization`, u, "must be a whole percentage of the request, at least 1");
      if (app.vpa && (app.vpa.mode ?? "Off") !== "Off") c.add(`${f}.vpa.mode`, app.vpa.mode, `a VPA that changes requests fights a KEDA ${key} trigger; use mode "Off" or scale on events only`);
    }
  });
  c.unique(`${base}.triggers[].name`, names, "trigger name");
  return maxReplicas;
}

function valueFor<T>(value: PerEnv<T>, env: Env): T | undefined {
  return isPerEnvRecord(value) ? (value as Record<string, T | undefined>)[env] : (value as T);
}

function checkTenant(fleet: Fleet, src: TenantSource, all: readonly TenantSpec[]): SpecProblem[] {
  const { spec: tenant, file } = src;
  const c = new Collector(file);
  c.dnsLabel("name", tenant.name, "a tenant name");
  if (RESERVED_TENANTS.includes(tenant.name)) c.add("name", tenant.name, `reserved for the platform's own Argo CD projects (${RESERVED_TENANTS.join(", ")}); choose another name`);
  if (tenant.namespace !== undefined) c.dnsLabel("namespace", tenant.namespace, "a namespace");
  c.unique("apps[].name", tenant.apps.map((a) => a.name), "app name");
  c.unique("secrets[].name", (tenant.secrets ?? []).map((s) => s.name), "secret name");
  c.unique(
    "configMap names",
    [...tenant.apps.flatMap((a) => (a.configFiles ?? []).map((x) => x.name)), ...(tenant.dashboards ?? []).map((d) => d.name), ...(tenant.configMaps ?? []).map((m) => m.name)],
    "ConfigMap name",
  );
  (tenant.configMaps ?? []).forEach((m) => c.dnsLabel(`configMaps[${m.name}].name`, m.name, "a ConfigMap name"));
  (tenant.secrets ?? []).forEach((s) => c.dnsLabel(`secrets[${s.name}].name`, s.name, "a secret name"));
  for (const app of tenant.apps) checkApp(c, fleet, tenant, all, app);
  checkJobs(c, tenant);
  checkQuotaFits(c, tenant);

  return c.problems;
}

/** Hosts must be unique per cluster across every tenant and app. */
function checkHosts(fleet: Fleet, sources: readonly TenantSource[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const byCluster = new Map<string, Map<string, string>>();
  for (const cluster of fleet.clusters as readonly ClusterSpec[]) {
    const seen = byCluster.get(cluster.name) ?? new Map<string, string>();
    byCluster.set(cluster.name, seen);
    for (const { spec: tenant, file } of sources) {
      for (const app of tenant.apps) {
        const ing = app.exposure?.ingress;
        if (!ing) continue;
        for (const host of hostsFor(fleet, ing.host, tenant.name, cluster)) {
          const owner = `${tenant.name}/${app.name}`;
          const prior = seen.get(host);
          if (prior && prior !== owner) {
            problems.push({ file, field: `apps[${app.name}].exposure.ingress.host`, value: ing.host, message: `host ${host} on cluster ${cluster.name} is already served by ${prior}; choose another host label` });
          }
          seen.set(host, owner);
        }
      }
    }
  }
  return problems;
}

/** Every problem in the fleet and tenants; empty when generation may proceed. */
/** Every problem in the fleet, the tenants and the release pins (generators/release/pins.json). */
export function validateAll(fleet: Fleet, sources: readonly TenantSource[], pins: Pins = {}): SpecProblem[] {
  const all = sources.map((s) => s.spec);
  const problems = [...validateFleet(fleet)];
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.spec.name)) problems.push({ file: s.file, field: "name", value: s.spec.name, message: "another tenant has this name; tenant names must be unique" });
    names.add(s.spec.name);
    problems.push(...checkTenant(fleet, s, all));
  }
  problems.push(...checkHosts(fleet, sources));
  problems.push(...validatePins(pins, all));
  return problems;
}
