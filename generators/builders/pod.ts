/**
 * The pod template every workload shares: the restricted Pod Security profile,
 * probes, resources, volumes, secrets and GPU scheduling all come from here.
 */
import type { IContainer, IEnvVar, IPodTemplateSpec, IProbe, IVolume, IVolumeMount } from "kubernetes-models/v1";
import { GPU_RESOURCE, GPU_TAINT, INIT_CONTAINER_RESOURCES, LABELS } from "../fleet/constants.js";
import type { AppSpec, ImageSpec, ProbeSpec, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import { appLabels, pvcName } from "./labels.js";
import { sidecarAnnotations } from "./istio.js";

export const DEFAULT_UID = 10001;

/** The image reference in base/: repository and tag. Overlays pin per-env tags and digests. */
export function imageRef(image: ImageSpec): string {
  return image.digest ? `${image.repository}:${image.tag}@${image.digest}` : `${image.repository}:${image.tag}`;
}

export function isStatefulSet(app: AppSpec): boolean {
  return app.kind === "StatefulSet";
}

export function containerResources(resources: ResourcesSpec, gpus: number): IContainer["resources"] {
  const requests: Record<string, string> = { cpu: resources.requests.cpu, memory: resources.requests.memory };
  const limits: Record<string, string> = { memory: resources.limits.memory };
  if (resources.limits.cpu) limits.cpu = resources.limits.cpu;
  if (gpus > 0) {
    // Extended resources must have requests equal to limits.
    requests[GPU_RESOURCE] = String(gpus);
    limits[GPU_RESOURCE] = String(gpus);
  }
  return { requests, limits };
}

function probe(spec: ProbeSpec): IProbe {
  const timing = {
    initialDelaySeconds: spec.initialDelaySeconds ?? 5,
    periodSeconds: spec.periodSeconds ?? 10,
    failureThreshold: spec.failureThreshold ?? 3,
    timeoutSeconds: 5,
  };
  if (spec.http !== undefined) return { httpGet: { path: spec.http.path, port: spec.http.port }, ...timing };
  if (spec.tcp !== undefined) return { tcpSocket: { port: spec.tcp.port }, ...timing };
  return { exec: { command: [...spec.exec.command] }, ...timing };
}

/** The TCP-connect probe on the first TCP port, used when an app declares none. */
export function defaultProbe(app: AppSpec): ProbeSpec {
  const port = app.ports.find((p) => (p.protocol ?? "TCP") === "TCP");
  if (!port) throw new Error(`internal: ${app.name} has no TCP port for a default probe`);
  return { tcp: { port: port.name } };
}

function envVars(app: AppSpec): IEnvVar[] {
  const literal: IEnvVar[] = Object.entries(app.env ?? {}).map(([name, value]) => ({ name, value }));
  const fromSecrets: IEnvVar[] = Object.entries(app.secretEnv ?? {}).map(([name, ref]) => ({
    name,
    valueFrom: { secretKeyRef: { name: ref.secret, key: ref.property } },
  }));
  return [...literal, ...fromSecrets];
}

/** Scratch directories; /tmp is always writable because the root filesystem is not. */
function scratchVolumes(app: AppSpec): { name: string; mountPath: string; sizeLimit: string; memory: boolean }[] {
  const declared = (app.scratch ?? []).map((s) => ({
    name: s.name,
    mountPath: s.mountPath,
    sizeLimit: s.sizeLimit ?? "1Gi",
    memory: s.memory ?? false,
  }));
  if (declared.some((s) => s.mountPath === "/tmp")) return declared;
  return [{ name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi", memory: false }, ...declared];
}

interface VolumeSet {
  volumes: IVolume[];
  mounts: IVolumeMount[];
}

function volumes(app: AppSpec): VolumeSet {
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  for (const s of app.storage ?? []) {
    // A StatefulSet's volumeClaimTemplates supply the volume; a Deployment mounts a PVC.
    if (!isStatefulSet(app)) volumes.push({ name: s.name, persistentVolumeClaim: { claimName: pvcName(app, s.name) } });
    mounts.push({ name: s.name, mountPath: s.mountPath });
  }
  for (const s of scratchVolumes(app)) {
    volumes.push({ name: s.name, emptyDir: s.memory ? { medium: "Memory", sizeLimit: s.sizeLimit } : { sizeLimit: s.sizeLimit } });
    mounts.push({ name: s.name, mountPath: s.mountPath });
  }
  for (const c of app.configFiles ?? []) {
    volumes.push({ name: c.name, configMap: { name: c.name } });
    mounts.push({ name: c.name, mountPath: c.mountPath, readOnly: true });
  }
  for (const s of app.secretMounts ?? []) {
    volumes.push({ name: s.secret, secret: { secretName: s.secret } });
    mounts.push({ name: s.secret, mountPath: s.mountPath, readOnly: true });
  }
  return { volumes, mounts };
}

export const containerSecurity = (readOnlyRootFilesystem: boolean): IContainer["securityContext"] => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  privileged: false,
  readOnlyRootFilesystem,
  runAsNonRoot: true,
});

/**
 * The pod template. `resources` are the base (prod) values; overlays patch other
 * environments. GPU apps carry the toleration here and get their node-pool selector
 * from the region component, which knows the region's pool.
 */
export function podTemplate(tenant: TenantSpec, app: AppSpec, resources: ResourcesSpec): IPodTemplateSpec {
  const gpus = app.gpus ?? 0;
  const uid = app.securityContext?.runAsUser ?? DEFAULT_UID;
  const gid = app.securityContext?.runAsGroup ?? uid;
  const readOnlyRoot = app.securityContext?.readOnlyRootFilesystem ?? true;
  const { volumes: vols, mounts } = volumes(app);
  const probes = app.probes ?? {};
  const labels = appLabels(tenant, app);
  if (gpus > 0) labels[LABELS.gpu] = "true";

  const container: IContainer = {
    name: app.name,
    image: imageRef(app.image),
    imagePullPolicy: "IfNotPresent",
    ports: app.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? "TCP" })),
    resources: containerResources(resources, gpus),
    readinessProbe: probe(probes.readiness ?? defaultProbe(app)),
    livenessProbe: probe(probes.liveness ?? defaultProbe(app)),
    securityContext: containerSecurity(readOnlyRoot),
    volumeMounts: mounts,
  };
  if (probes.startup) container.startupProbe = probe(probes.startup);
  if (app.command) container.command = [...app.command];
  if (app.args) container.args = [...app.args];
  const env = envVars(app);
  if (env.length > 0) container.env = env;

  const initContainers: IContainer[] = (app.initContainers ?? []).map((init) => ({
    name: init.name,
    image: imageRef(init.image ?? app.image),
    imagePullPolicy: "IfNotPresent",
    command: [...init.command],
    resources: containerResources(INIT_CONTAINER_RESOURCES, 0),
    securityContext: containerSecurity(true),
    volumeMounts: mounts.filter((m) => !init.mounts || init.mounts.includes(m.name)),
  }));

  const annotations = sidecarAnnotations(tenant);
  return {
    metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      serviceAccountName: app.name,
      automountServiceAccountToken: app.apiAccess !== undefined,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup: app.securityContext?.fsGroup ?? gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [container],
      volumes: vols,
      ...(gpus > 0 ? { tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }] } : {}),
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: LABELS.zone,
          whenUnsatisfiable: app.spread === "zone-required" ? "DoNotSchedule" : "ScheduleAnyway",
          labelSelector: { matchLabels: { [LABELS.name]: app.name, [LABELS.partOf]: tenant.name } },
        },
        {
          maxSkew: 1,
          topologyKey: LABELS.hostname,
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { [LABELS.name]: app.name, [LABELS.partOf]: tenant.name } },
        },
      ],
      terminationGracePeriodSeconds: 30,
    },
  };
}
