/**
 * Validates the fleet and every tenant before anything is built. Each problem names
 * the file, the field, the bad value and what is allowed; all problems are reported
 * at once, and generation writes nothing while any remains.
 */
import { DEFAULT_IMAGE_REGISTRIES, ENVIRONMENTS, type ClusterSpec, type Env, type Fleet } from "../fleet/fleet.js";
import { hostsFor } from "../fleet/domains.js";
import { ARGOCD_NAMESPACE, ISTIO_SIDECAR_DEFAULTS, PLATFORM } from "../fleet/constants.js";
import type { TenantSource } from "./source.js";
import type { AppSpec, EventScaling, PerEnv, Peer, ProbeSpec, ResourcesSpec, TenantSpec, TriggerAuthSpec } from "./tenant.js";
import { forEnv, isPerEnvRecord } from "./per-env.js";
import { fleetShapeProblems, tenantShapeProblems } from "./schema.js";
import { maxReplicas } from "./replicas.js";
import { headlessServiceName, pvcName, tenantNamespace } from "./names.js";
import { validatePins, type Pins } from "../release/pins.js";
import { formatProblem, SpecError, sortProblems, type SpecProblem } from "./problem.js";
import { derivedNameProblems, dns1035Label, dns1123Label, dns1123Subdomain, labelKey, labelValue, portName, reservedNamespace } from "../rules/names.js";
import { quantityProblem, quantityValue } from "../rules/quantity.js";
import { resourceProblems } from "../rules/resources.js";
import { digestProblem, registryProblem, repositoryProblem, tagProblem } from "../rules/image.js";
import { credentialIn, redacted, secretLookingName } from "../rules/secret-names.js";

export { formatProblem, SpecError, sortProblems, type SpecProblem };

const FLEET_FILE = "generators/fleet/fleet.ts";
/** Names of Argo CD projects the pipeline itself owns. */
const RESERVED_TENANTS: readonly string[] = ["platform", "bootstrap", "default"];
/** Namespaces the platform's own components run in; a tenant there would share their NetworkPolicies and quotas. */
const PLATFORM_NAMESPACES: readonly string[] = [PLATFORM.ingressNamespace, PLATFORM.monitoringNamespace];

class Collector {
  readonly problems: SpecProblem[] = [];
  constructor(private readonly file: string) {}
  add(field: string, value: unknown, message: string): void {
    this.problems.push({ file: this.file, field, value, message });
  }
  dnsLabel(field: string, value: string, what: string): void {
    for (const m of dns1123Label(value)) this.add(field, value, `${what}: ${m}`);
  }
  /** Names that become Service names (apps) are DNS-1035 labels: they must start with a letter. */
  serviceName(field: string, value: string, what: string): void {
    for (const m of dns1035Label(value)) this.add(field, value, `${what} names its Service: ${m}`);
  }
  unique(field: string, values: readonly string[], what: string): void {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) this.add(field, v, `duplicate ${what}; each ${what} must be unique`);
      seen.add(v);
    }
  }
  quantity(field: string, value: string, resource: "cpu" | "memory" | "storage" | "count" | "any" = "any"): void {
    const p = quantityProblem(value, resource);
    if (p) this.add(field, value, p);
  }
  /** Requests and limits as the API server checks them: valid quantities, whole bytes, limits >= requests. */
  resources(field: string, r: ResourcesSpec): void {
    for (const p of resourceProblems(r.requests, r.limits)) this.add(`${field}.${p.field}`, p.value, p.message);
  }
  /** Checks each entry of a per-environment value (its keys were checked by the schema). */
  perEnv<T>(field: string, value: PerEnv<T>, check: (field: string, v: T) => void): void {
    if (!isPerEnvRecord(value)) {
      check(field, value as T);
      return;
    }
    for (const env of ENVIRONMENTS) check(`${field}.${env}`, forEnv(value, env));
  }
}

export function validateFleet(fleet: Fleet): SpecProblem[] {
  const c = new Collector(FLEET_FILE);
  c.unique("environments[].name", fleet.environments.map((e) => e.name), "environment");
  c.unique("regions[].name", fleet.regions.map((r) => r.name), "region");
  fleet.regions.forEach((r) => {
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
  (fleet.eks?.managedAddons ?? []).forEach((a, i) => {
    if (a.name !== "kube-proxy") return;
    for (const cl of fleet.clusters) {
      const why = kubeProxySkew(a.version, cl.kubernetesVersion);
      if (why) c.add(`eks.managedAddons[${i}].version`, a.version, `${why} on cluster ${cl.name} (Kubernetes ${cl.kubernetesVersion}); pin a kube-proxy every cluster's API server admits, or move the cluster's version`);
    }
  });
  return c.problems;
}

/**
 * Kubernetes' version skew policy for kube-proxy (kubernetes.io/releases/version-skew-policy,
 * "kube-proxy"; EKS applies the same policy, docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html):
 * it must not be newer than the API server, and may be at most three minor versions older.
 * Returns why a kube-proxy version breaks it on a cluster, or undefined.
 */
export function kubeProxySkew(kubeProxyVersion: string, clusterVersion: string): string | undefined {
  const proxy = /^v?1\.(\d+)\./.exec(kubeProxyVersion);
  const cluster = /^1\.(\d+)$/.exec(clusterVersion);
  if (!proxy || !cluster) return proxy ? undefined : 'not a kube-proxy version like "v1.33.3-eksbuild.10"';
  const skew = Number(cluster[1]) - Number(proxy[1]);
  if (skew < 0) return `kube-proxy 1.${proxy[1]} is newer than the API server`;
  if (skew > 3) return `kube-proxy 1.${proxy[1]} is ${skew} minor versions older than the API server (at most 3)`;
  return undefined;
}

function probePort(p: ProbeSpec): string | undefined {
  return p.http?.port ?? p.tcp?.port;
}

function checkPeer(c: Collector, field: string, peer: Peer, tenant: TenantSpec, all: readonly TenantSpec[]): void {
  if (peer.job !== undefined) {
    const jobs = tenant.jobs ?? [];
    if (!jobs.some((j) => j.name === peer.job)) c.add(`${field}.job`, peer.job, `no job of that name in this tenant's \`jobs\`; known: ${jobs.map((j) => j.name).join(", ") || "none"}`);
    return;
  }
  if (peer.app === undefined) return;
  const owner = peer.tenant ? all.find((t) => t.name === peer.tenant) : tenant;
  if (!owner) {
    c.add(`${field}.tenant`, peer.tenant, `unknown tenant; known: ${all.map((t) => t.name).join(", ")}`);
    return;
  }
  if (!owner.apps.some((a) => a.name === peer.app)) c.add(`${field}.app`, peer.app, `no app of that name in tenant ${owner.name}; known: ${owner.apps.map((a) => a.name).join(", ")}`);
}

function checkApp(c: Collector, fleet: Fleet, tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): void {
  const f = `apps[${app.name}]`;
  c.serviceName(`${f}.name`, app.name, "an app name");
  if (app.exposure?.headless ?? (app.kind === "StatefulSet")) {
    for (const m of dns1035Label(headlessServiceName(app))) c.add(`${f}.name`, app.name, `the headless Service ${headlessServiceName(app)} ${m}; shorten the app name`);
  }
  const portNames = app.ports.map((p) => p.name);
  const hasPort = (field: string, name: string): void => {
    if (!portNames.includes(name)) c.add(field, name, `no port of that name; declared ports: ${portNames.join(", ") || "none"}`);
  };

  // Image
  checkImage(c, `${f}.image`, app.image);

  // Ports
  if (app.ports.length === 0) c.add(`${f}.ports`, [], "declare at least one port");
  c.unique(`${f}.ports[].name`, portNames, "port name");
  c.unique(`${f}.ports[].containerPort`, app.ports.map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`), "container port and protocol");
  app.ports.forEach((p) => {
    const pf = `${f}.ports[${p.name}]`;
    for (const m of portName(p.name)) c.add(`${pf}.name`, p.name, `a port name (IANA_SVC_NAME) ${m}`);
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
  c.perEnv(`${f}.resources`, app.resources, (field, r) => c.resources(field, r));

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
  checkLiteralEnv(c, `${f}.env`, app.env);
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
    c.quantity(`${f}.storage[${s.name}].size`, s.size, "storage");
    if (app.kind !== "StatefulSet") for (const m of dns1123Subdomain(pvcName(app, s.name))) c.add(`${f}.storage[${s.name}].name`, s.name, `the PersistentVolumeClaim ${pvcName(app, s.name)} ${m}`);
  }
  for (const s of app.scratch ?? []) {
    c.dnsLabel(`${f}.scratch[${s.name}].name`, s.name, "a volume name");
    if (s.sizeLimit !== undefined) c.quantity(`${f}.scratch[${s.name}].sizeLimit`, s.sizeLimit, "memory");
  }
  c.unique(`${f}.volumes`, [...(app.storage ?? []).map((s) => s.name), ...(app.scratch ?? []).map((s) => s.name), ...(app.configFiles ?? []).map((x) => x.name)], "volume name (storage, scratch and configFiles share the pod's volumes)");

  // Scaling
  const replicaCheck = (field: string, n: number): void => {
    if (!Number.isInteger(n) || n < 1) c.add(field, n, "must be a whole number of at least 1");
  };
  let maxReplicas = 1;
  if (app.scaling.autoscale !== undefined) {
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
  } else if (app.scaling.keda !== undefined) {
    maxReplicas = Math.max(maxReplicas, checkKeda(c, f, tenant, app, app.scaling.keda));
  } else {
    c.perEnv(`${f}.scaling.replicas`, app.scaling.replicas, replicaCheck);
    for (const env of ENVIRONMENTS) maxReplicas = Math.max(maxReplicas, valueFor(app.scaling.replicas, env) ?? 1);
  }
  if (app.kind === "StatefulSet") {
    for (const d of derivedNameProblems("StatefulSet", app.name, maxReplicas, (app.storage ?? []).map((s) => s.name))) {
      for (const m of d.problems) c.add(`${f}.name`, app.name, `the ${d.what} ${d.value} ${m}; shorten the app name`);
    }
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
    // ValidateAnnotations: keys are label keys once lower-cased.
    for (const key of Object.keys(ingress.annotations ?? {})) {
      for (const m of labelKey(key.toLowerCase())) c.add(`${f}.exposure.ingress.annotations`, key, `an annotation key: ${m}`);
    }
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
  (app.initContainers ?? []).forEach((init) => {
    c.dnsLabel(`${f}.initContainers[${init.name}].name`, init.name, "a container name");
    if (init.image) checkImage(c, `${f}.initContainers[${init.name}].image`, init.image);
  });
  c.unique(`${f}.initContainers[].name`, [app.name, ...(app.initContainers ?? []).map((i) => i.name)], "container name (the app's own container is named after the app)");
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
    for (const d of derivedNameProblems(job.schedule === undefined ? "Job" : "CronJob", job.name, 1, [])) {
      for (const m of d.problems) c.add(`${f}.name`, job.name, `${d.what} ${m}`);
    }
    if (job.workSize !== undefined) c.quantity(`${f}.workSize`, job.workSize, "storage");
    if (tenant.apps.some((a) => a.name === job.name)) c.add(`${f}.name`, job.name, "an app has this name; jobs and apps share ServiceAccount and NetworkPolicy names");
    if (job.schedule !== undefined && !CRON.test(job.schedule.trim())) c.add(`${f}.schedule`, job.schedule, 'a cron expression has five fields, e.g. "0 2 * * *"');
    if (job.steps.length === 0) c.add(`${f}.steps`, [], "declare at least one step");
    c.unique(`${f}.steps[].name`, job.steps.map((s) => s.name), "step name");
    for (const step of job.steps) {
      const sf = `${f}.steps[${step.name}]`;
      c.dnsLabel(`${sf}.name`, step.name, "a container name");
      checkImage(c, `${sf}.image`, step.image);
      checkLiteralEnv(c, `${sf}.env`, step.env);
      if (step.resources) c.resources(`${sf}.resources`, step.resources);
      for (const [name, ref] of Object.entries(step.secretEnv ?? {})) {
        const s = secrets.find((x) => x.name === ref.secret);
        if (!s) c.add(`${sf}.secretEnv.${name}.secret`, ref.secret, `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`);
        else if (!s.properties.includes(ref.property)) c.add(`${sf}.secretEnv.${name}.property`, ref.property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
      }
    }
  }
  if (tenant.quota) {
    c.perEnv("quota", tenant.quota, (field, q) => {
      c.resources(field, q);
      if (q.storage !== undefined) c.quantity(`${field}.storage`, q.storage, "storage");
      if (q.containerDefaults) c.resources(`${field}.containerDefaults`, q.containerDefaults);
      for (const [k, v] of Object.entries(q.containerMax ?? {})) if (v !== undefined) c.quantity(`${field}.containerMax.${k}`, v, k === "cpu" ? "cpu" : "memory");
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
    if (t.kafka !== undefined) {
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
    } else if (t.prometheus !== undefined) {
      const p = t.prometheus;
      names.push(p.name);
      c.dnsLabel(`${tf}.prometheus.name`, p.name, "a trigger name");
      if (!p.query.trim()) c.add(`${tf}.prometheus.query`, p.query, "must not be empty");
      if (!/^[0-9]+(\.[0-9]+)?$/.test(p.threshold) || Number(p.threshold) <= 0) c.add(`${tf}.prometheus.threshold`, p.threshold, 'must be a positive decimal number as a string, e.g. "80"');
      checkAuth(`${tf}.prometheus.auth`, p.auth);
    } else {
      const key = t.cpu !== undefined ? "cpu" : "memory";
      const u = t.cpu?.utilization ?? t.memory?.utilization ?? 0;
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
  const ns = tenantNamespace(tenant);
  const reserved = reservedNamespace(ns, ARGOCD_NAMESPACE) ?? (PLATFORM_NAMESPACES.includes(ns) ? "a platform component's namespace" : undefined);
  if (reserved) c.add(tenant.namespace === undefined ? "name" : "namespace", ns, `a tenant may not run in namespace ${ns}: ${reserved}; set \`namespace\` to a namespace of its own, e.g. "${tenant.name}"`);
  if (tenant.mesh?.sidecarResources) c.resources("mesh.sidecarResources", tenant.mesh.sidecarResources);
  for (const [k, v] of Object.entries(tenant.mesh?.gatewaySelector ?? {})) {
    for (const m of [...labelKey(k).map((x) => `label key ${x}`), ...labelValue(v).map((x) => `label value ${x}`)]) c.add(`mesh.gatewaySelector.${k}`, v, m);
  }
  c.unique("apps[].name", tenant.apps.map((a) => a.name), "app name");
  c.unique("secrets[].name", (tenant.secrets ?? []).map((s) => s.name), "secret name");
  c.unique(
    "configMap names",
    [...tenant.apps.flatMap((a) => (a.configFiles ?? []).map((x) => x.name)), ...(tenant.dashboards ?? []).map((d) => d.name), ...(tenant.configMaps ?? []).map((m) => m.name)],
    "ConfigMap name",
  );
  (tenant.configMaps ?? []).forEach((m) => c.dnsLabel(`configMaps[${m.name}].name`, m.name, "a ConfigMap name"));
  (tenant.secrets ?? []).forEach((s) => c.dnsLabel(`secrets[${s.name}].name`, s.name, "a secret name"));
  (tenant.dashboards ?? []).forEach((d) => c.dnsLabel(`dashboards[${d.name}].name`, d.name, "a ConfigMap name"));
  tenant.apps.forEach((a) => (a.configFiles ?? []).forEach((x) => c.dnsLabel(`apps[${a.name}].configFiles[${x.name}].name`, x.name, "a ConfigMap name")));
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

/** One tenant per namespace: two tenants' objects in one namespace would overwrite each other's. */
function checkNamespaces(sources: readonly TenantSource[]): SpecProblem[] {
  const owner = new Map<string, string>();
  const problems: SpecProblem[] = [];
  for (const { spec, file } of sources) {
    const ns = tenantNamespace(spec);
    const prior = owner.get(ns);
    if (prior !== undefined && prior !== spec.name) {
      problems.push({ file, field: spec.namespace === undefined ? "name" : "namespace", value: ns, message: `tenant ${prior} already runs in namespace ${ns}; one tenant per namespace: choose another namespace` });
    }
    if (prior === undefined) owner.set(ns, spec.name);
  }
  return problems;
}

/** Every problem in the fleet, the tenants and the release pins (generators/release/pins.json); empty when generation may proceed. */
export function validateAll(fleet: Fleet, sources: readonly TenantSource[], pins: Pins = {}): SpecProblem[] {
  const shape = shapeProblems(fleet, sources);
  if (shape.length > 0) return sortProblems(shape);
  const all = sources.map((s) => s.spec);
  const problems = [...validateFleet(fleet)];
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.spec.name)) problems.push({ file: s.file, field: "name", value: s.spec.name, message: "another tenant has this name; tenant names must be unique" });
    names.add(s.spec.name);
    problems.push(...checkTenant(fleet, s, all));
  }
  problems.push(...checkNamespaces(sources));
  problems.push(...checkHosts(fleet, sources));
  problems.push(...checkRegistries(fleet, sources));
  problems.push(...validatePins(pins, all));
  return sortProblems(problems);
}

/** Every image a tenant runs comes from the fleet's registry allow-list (enforced in the cluster by a ValidatingAdmissionPolicy). */
function checkRegistries(fleet: Fleet, sources: readonly TenantSource[]): SpecProblem[] {
  const allowed = fleet.imageRegistries ?? DEFAULT_IMAGE_REGISTRIES;
  const problems: SpecProblem[] = [];
  for (const { spec, file } of sources) {
    const images: [string, string][] = [
      ...spec.apps.flatMap((a): [string, string][] => [
        [`apps[${a.name}].image.repository`, a.image.repository],
        ...(a.initContainers ?? []).flatMap((i): [string, string][] => (i.image ? [[`apps[${a.name}].initContainers[${i.name}].image.repository`, i.image.repository]] : [])),
      ]),
      ...(spec.jobs ?? []).flatMap((j) => j.steps.map((st): [string, string] => [`jobs[${j.name}].steps[${st.name}].image.repository`, st.image.repository])),
    ];
    for (const [field, repository] of images) {
      const message = registryProblem(repository, allowed);
      if (message) problems.push({ file, field, value: repository, message });
    }
  }
  return problems;
}

function checkImage(c: Collector, field: string, image: { repository: string; tag: string; digest?: string }): void {
  const r = repositoryProblem(image.repository);
  if (r) c.add(`${field}.repository`, image.repository, r);
  const t = tagProblem(image.tag);
  if (t) c.add(`${field}.tag`, image.tag, t);
  const d = image.digest === undefined ? undefined : digestProblem(image.digest);
  if (d) c.add(`${field}.digest`, image.digest, d);
}

/** Literal env values: a secret-looking name or a credential in the value is refused, and the value is never echoed. */
function checkLiteralEnv(c: Collector, field: string, env: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (secretLookingName(name)) {
      c.add(`${field}.${name}`, redacted(value), "the name says this is a secret, given here as a literal; add it to the tenant's `secrets` (AWS Secrets Manager) and reference it from `secretEnv`");
      continue;
    }
    const p = credentialIn(value);
    if (p) c.add(`${field}.${name}`, redacted(value), `the value contains a ${p}, which is a secret; move it to the tenant's \`secrets\` and use \`secretEnv\``);
  }
}
