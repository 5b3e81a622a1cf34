/** One app of a tenant: names, ports, probes, resources, scaling, network peers, traffic, images and literal env. */
import { ENVIRONMENTS, type Fleet } from "../../fleet/fleet.js";
import type { AppSpec, Peer, ProbeSpec, TenantSpec } from "../tenant.js";
import { headlessServiceName, pvcName } from "../names.js";
import { derivedNameProblems, dns1035Label, dns1123Subdomain, portName } from "../../rules/names.js";
import { digestProblem, repositoryProblem, tagProblem } from "../../rules/image.js";
import { credentialIn, redacted, secretLookingName } from "../../rules/secret-names.js";
import { FLEET_FILE, type Collector, valueFor } from "./collector.js";
import { checkKeda } from "./keda.js";
import { checkAppFields } from "./fields.js";
import { checkCalls } from "./wiring.js";
import { checkEdgeOptions } from "./exposure.js";
import { METRIC_HANDLES, metricHandle } from "../../addons/metrics.js";

export function probePort(p: ProbeSpec): string | undefined {
  return p.http?.port ?? p.tcp?.port;
}

export function checkPeer(c: Collector, field: string, peer: Peer, tenant: TenantSpec): void {
  if (peer.vpc !== undefined && (peer.vpc as boolean) !== true)
    c.add(`${field}.vpc`, peer.vpc, "only `vpc: true` is meaningful; drop the peer instead");
  if (peer.vpc === true && tenant.mesh)
    c.add(
      `${field}.vpc`,
      true,
      "a meshed namespace admits address ranges in its AuthorizationPolicies, which are the same on every cluster; give a `cidr` instead",
    );
  if (peer.job !== undefined) {
    const jobs = tenant.jobs ?? [];
    if (!jobs.some((j) => j.name === peer.job))
      c.add(
        `${field}.job`,
        peer.job,
        `no job of that name in this tenant's \`jobs\`; known: ${jobs.map((j) => j.name).join(", ") || "none"}`,
      );
  }
}

export function checkApp(c: Collector, fleet: Fleet, tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): void {
  const f = `apps[${app.name}]`;
  c.serviceName(`${f}.name`, app.name, "an app name");
  if (app.exposure?.headless ?? app.kind === "StatefulSet") {
    for (const m of dns1035Label(headlessServiceName(app)))
      c.add(`${f}.name`, app.name, `the headless Service ${headlessServiceName(app)} ${m}; shorten the app name`);
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
  c.unique(
    `${f}.ports[].containerPort`,
    app.ports.map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`),
    "container port and protocol",
  );
  app.ports.forEach((p) => {
    const pf = `${f}.ports[${p.name}]`;
    for (const m of portName(p.name)) c.add(`${pf}.name`, p.name, `a port name (IANA_SVC_NAME) ${m}`);
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1024 || p.containerPort > 65535) {
      c.add(
        `${pf}.containerPort`,
        p.containerPort,
        "must be 1024-65535: non-root containers cannot bind privileged ports; set servicePort to keep a well-known port on the Service",
      );
    }
    if (p.servicePort !== undefined && (!Number.isInteger(p.servicePort) || p.servicePort < 1 || p.servicePort > 65535))
      c.add(`${pf}.servicePort`, p.servicePort, "must be 1-65535");
  });

  // Probes
  const probes = app.probes ?? {};
  for (const kind of ["readiness", "liveness", "startup"] as const) {
    const p = probes[kind];
    const port = p ? probePort(p) : undefined;
    if (port !== undefined) hasPort(`${f}.probes.${kind}.port`, port);
  }
  if ((!probes.readiness || !probes.liveness) && !app.ports.some((p) => (p.protocol ?? "TCP") === "TCP")) {
    c.add(
      `${f}.probes`,
      undefined,
      "the default probes connect to the first TCP port and this app has none; declare readiness and liveness probes",
    );
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
        c.add(
          `${f}.gpus`,
          gpus,
          `region ${region.name} (cluster ${cluster.name}) has no GPU pool; add gpuPool to the region in ${FLEET_FILE} or keep the app off GPUs`,
        );
      } else if (!region.gpuPool.instanceTypes.some((t) => t.gpus >= gpus)) {
        c.add(
          `${f}.gpus`,
          gpus,
          `no instance type of GPU pool ${region.gpuPool.name} in ${region.name} has ${gpus} GPUs; largest has ${Math.max(...region.gpuPool.instanceTypes.map((t) => t.gpus))}`,
        );
      }
    }
  }

  // Config and secrets
  checkLiteralEnv(c, `${f}.env`, app.env);
  const secrets = tenant.secrets ?? [];
  for (const [name, ref] of Object.entries(app.secretEnv ?? {})) {
    const s = secrets.find((x) => x.name === ref.secret);
    if (!s)
      c.add(
        `${f}.secretEnv.${name}.secret`,
        ref.secret,
        `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`,
      );
    else if (!s.properties.includes(ref.property))
      c.add(`${f}.secretEnv.${name}.property`, ref.property, `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`);
  }
  (app.secretMounts ?? []).forEach((m, i) => {
    if (!secrets.some((x) => x.name === m.secret))
      c.add(
        `${f}.secretMounts[${i}].secret`,
        m.secret,
        `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`,
      );
  });

  // Storage
  c.unique(
    `${f}.storage[].name`,
    (app.storage ?? []).map((s) => s.name),
    "volume name",
  );
  for (const s of app.storage ?? []) {
    c.dnsLabel(`${f}.storage[${s.name}].name`, s.name, "a volume name");
    c.quantity(`${f}.storage[${s.name}].size`, s.size, "storage");
    if (app.kind !== "StatefulSet")
      for (const m of dns1123Subdomain(pvcName(app, s.name)))
        c.add(`${f}.storage[${s.name}].name`, s.name, `the PersistentVolumeClaim ${pvcName(app, s.name)} ${m}`);
  }
  for (const s of app.scratch ?? []) {
    c.dnsLabel(`${f}.scratch[${s.name}].name`, s.name, "a volume name");
    if (s.sizeLimit !== undefined) c.quantity(`${f}.scratch[${s.name}].sizeLimit`, s.sizeLimit, "memory");
  }
  c.unique(
    `${f}.volumes`,
    [...(app.storage ?? []).map((s) => s.name), ...(app.scratch ?? []).map((s) => s.name), ...(app.configFiles ?? []).map((x) => x.name)],
    "volume name (storage, scratch and configFiles share the pod's volumes)",
  );

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
      if (min !== undefined && max !== undefined && min > max)
        c.add(`${f}.scaling.autoscale.min.${env}`, min, `greater than max (${max}); min must be at most max`);
      if (max !== undefined) maxReplicas = Math.max(maxReplicas, max);
    }
    (a.podMetrics ?? []).forEach((m, i) => {
      if (metricHandle(m.metric) === undefined)
        c.add(
          `${f}.scaling.autoscale.podMetrics[${i}].metric`,
          m.metric,
          `no declared metric serves this name; declare it in generators/addons/metrics.ts (METRICS: its series and the labels naming the pod), which also generates its prometheus-adapter rule. Declared: ${METRIC_HANDLES.map((h) => h.served).join(", ")}`,
        );
    });
    if (
      app.vpa &&
      (app.vpa.mode ?? "Off") !== "Off" &&
      (a.cpuUtilization !== undefined || a.memoryUtilization !== undefined || (a.podMetrics ?? []).length === 0)
    ) {
      c.add(
        `${f}.vpa.mode`,
        app.vpa.mode,
        'a VPA that changes requests fights an HPA scaling on CPU or memory; use mode "Off" or scale on custom metrics only',
      );
    }
  } else if (app.scaling.keda !== undefined) {
    maxReplicas = Math.max(maxReplicas, checkKeda(c, f, tenant, app, app.scaling.keda));
  } else {
    c.perEnv(`${f}.scaling.replicas`, app.scaling.replicas, replicaCheck);
    for (const env of ENVIRONMENTS) maxReplicas = Math.max(maxReplicas, valueFor(app.scaling.replicas, env) ?? 1);
  }
  if (app.kind === "StatefulSet") {
    for (const d of derivedNameProblems(
      "StatefulSet",
      app.name,
      maxReplicas,
      (app.storage ?? []).map((s) => s.name),
    )) {
      for (const m of d.problems) c.add(`${f}.name`, app.name, `the ${d.what} ${d.value} ${m}; shorten the app name`);
    }
  }
  if ((app.kind ?? "Deployment") === "Deployment" && maxReplicas > 1) {
    for (const s of app.storage ?? []) {
      if ((s.accessMode ?? "ReadWriteOnce") !== "ReadWriteMany" && (s.accessMode ?? "ReadWriteOnce") !== "ReadOnlyMany") {
        c.add(
          `${f}.storage[${s.name}].accessMode`,
          s.accessMode ?? "ReadWriteOnce",
          "replicas of a Deployment cannot share a ReadWriteOnce volume; use kind StatefulSet for per-replica data, or ReadWriteMany on shared-efs",
        );
      }
    }
  }

  // Exposure, network, monitoring
  const ingress = app.exposure?.ingress;
  if (ingress) {
    c.dnsLabel(`${f}.exposure.ingress.host`, ingress.host, "an ingress host label");
    checkEdgeOptions(c, `${f}.exposure.ingress`, ingress);
    ingress.paths.forEach((p, i) => {
      hasPort(`${f}.exposure.ingress.paths[${i}].port`, p.port);
      if (!p.path.startsWith("/")) c.add(`${f}.exposure.ingress.paths[${i}].path`, p.path, 'must start with "/"');
    });
  }
  (app.network?.ingress ?? []).forEach((r, i) => {
    r.ports.forEach((p, j) => {
      hasPort(`${f}.network.ingress[${i}].ports[${j}]`, p);
    });
    r.from.forEach((peer, j) => {
      checkPeer(c, `${f}.network.ingress[${i}].from[${j}]`, peer, tenant);
    });
  });
  (app.network?.exposeTo ?? []).forEach((r, i) => {
    r.ports.forEach((p, j) => {
      hasPort(`${f}.network.exposeTo[${i}].ports[${j}]`, p);
    });
    r.tenants.forEach((t, j) => {
      if (!all.some((x) => x.name === t))
        c.add(`${f}.network.exposeTo[${i}].tenants[${j}]`, t, `unknown tenant; known: ${all.map((x) => x.name).join(", ")}`);
    });
  });
  checkCalls(c, fleet, tenant, all, app);
  if (app.monitoring) hasPort(`${f}.monitoring.port`, app.monitoring.port);
  (app.initContainers ?? []).forEach((init) => {
    c.dnsLabel(`${f}.initContainers[${init.name}].name`, init.name, "a container name");
    if (init.image) checkImage(c, `${f}.initContainers[${init.name}].image`, init.image);
  });
  c.unique(
    `${f}.initContainers[].name`,
    [app.name, ...(app.initContainers ?? []).map((i) => i.name)],
    "container name (the app's own container is named after the app)",
  );
  checkTraffic(c, tenant, app, hasPort);
  checkAppFields(c, app);
}

export function checkTraffic(c: Collector, tenant: TenantSpec, app: AppSpec, hasPort: (field: string, name: string) => void): void {
  const t = app.traffic;
  if (!t) return;
  const f = `apps[${app.name}].traffic`;
  if (!tenant.mesh) c.add(f, "traffic", "VirtualServices and DestinationRules need the mesh; set the tenant's `mesh` or drop `traffic`");
  if (t.port !== undefined) hasPort(`${f}.port`, t.port);
  if (t.retries && (!Number.isInteger(t.retries.attempts) || t.retries.attempts < 0))
    c.add(`${f}.retries.attempts`, t.retries.attempts, "must be a whole number, 0 or more");
  if (t.gateway) {
    c.dnsLabel(`${f}.gateway.host`, t.gateway.host, "a gateway host label");
    if (t.gateway.host === app.exposure?.ingress?.host)
      c.add(`${f}.gateway.host`, t.gateway.host, "the NGINX Ingress already serves this host; give the Istio gateway its own host label");
    t.gateway.paths.forEach((p, i) => {
      hasPort(`${f}.gateway.paths[${i}].port`, p.port);
      if (!p.path.startsWith("/")) c.add(`${f}.gateway.paths[${i}].path`, p.path, 'must start with "/"');
    });
  }
}

export function checkImage(c: Collector, field: string, image: { repository: string; tag: string; digest?: string }): void {
  const r = repositoryProblem(image.repository);
  if (r) c.add(`${field}.repository`, image.repository, r);
  const t = tagProblem(image.tag);
  if (t) c.add(`${field}.tag`, image.tag, t);
  const d = image.digest === undefined ? undefined : digestProblem(image.digest);
  if (d) c.add(`${field}.digest`, image.digest, d);
}

/** Literal env values: a secret-looking name or a credential in the value is refused, and the value is never echoed. */
export function checkLiteralEnv(c: Collector, field: string, env: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (secretLookingName(name)) {
      c.add(
        `${field}.${name}`,
        redacted(value),
        "the name says this is a secret, given here as a literal; add it to the tenant's `secrets` (AWS Secrets Manager) and reference it from `secretEnv`",
      );
      continue;
    }
    const p = credentialIn(value);
    if (p)
      c.add(
        `${field}.${name}`,
        redacted(value),
        `the value contains a ${p}, which is a secret; move it to the tenant's \`secrets\` and use \`secretEnv\``,
      );
  }
}
