/**
 * The layout: which object goes into which folder. Everything is built and validated
 * in memory and returned as path -> bytes; the writer decides what touches the disk.
 *
 *   base/<tenant>/                      env-independent objects, one file per app
 *   overlays/<env>/<tenant>/            replicas, images, HPAs, KEDA ScaledObjects, PDBs, ExternalSecrets, resource patches
 *   overlays/regions/<region>/workloads Component: GPU node-pool selection, DNS region
 *   overlays/regions/<region>/platform  Component: the region's GPU NodePool and secret store
 *   clusters/<cluster>/<tenant>/        env overlay + region component + the cluster's Ingresses
 *   apps/                               Argo CD: root, projects, ApplicationSets
 */
import { ANNOTATIONS, LABELS, PATHS, PLATFORM_TENANT } from "../fleet/constants.js";
import type { ClusterSpec, Env, Fleet, RegionSpec } from "../fleet/fleet.js";
import { regionSpec } from "../fleet/fleet.js";
import type { AppSpec, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import type { TenantSource } from "../tenants/index.js";
import type { KubeObject } from "../build/object.js";
import { objectId } from "../build/object.js";
import { tenantNamespace } from "../build/labels.js";
import { buildWorkload, buildVolumeClaims } from "../build/workload.js";
import { buildServices } from "../build/service.js";
import { buildIdentity } from "../build/identity.js";
import { buildConfigMaps, buildDashboards, buildTenantConfigMaps } from "../build/config.js";
import { buildExternalSecrets } from "../build/secrets.js";
import { buildHpa, buildPdb, isAutoscaled } from "../build/scaling.js";
import { buildVpa } from "../build/vpa.js";
import { buildScaledObject, buildTriggerAuthentications } from "../build/keda.js";
import { buildNetworkPolicies } from "../build/network.js";
import { buildIngress } from "../build/ingress.js";
import { buildPrometheusRule, buildServiceMonitor } from "../build/monitoring.js";
import { containerResources } from "../build/pod.js";
import { buildNamespaces, buildPlatformBase, buildPlatformCluster, buildPlatformRegion } from "../build/platform.js";
import { buildMeshBase, buildMeshCluster } from "../build/istio.js";
import { buildJobs } from "../build/jobs.js";
import { buildQuota } from "../build/quota.js";
import type { ArgoTenant } from "../build/argo.js";
import { buildAddonsProject, buildApplicationSet, buildDefaultProject, buildProjects, buildRoot, FLEET_APPS_PATH } from "../build/argo.js";
import { ADDONS, WAVES, buildAddonApplicationSet, buildArgoCdApplication } from "../build/addons.js";
import type { ImageOverride, JsonPatchOp, Kustomization, Patch } from "./kustomization.js";
import { component, jsonPatch, kustomization, pointerKey } from "./kustomization.js";
import { yamlDoc, yamlFile } from "./yaml.js";
import { currentPins, pinFor, type Pins } from "../release/pins.js";

export type Tree = Map<string, string>;

const PLATFORM_SOURCE = "generators/build/platform.ts and generators/fleet/fleet.ts";
const ARGO_SOURCE = "generators/build/argo.ts and generators/fleet/fleet.ts";
const ADDONS_SOURCE = "generators/build/addons.ts and generators/fleet/fleet.ts";

/** Validates every object against its model's schema; a builder bug stops generation here. */
function validated(objects: KubeObject[], where: string): KubeObject[] {
  for (const o of objects) {
    try {
      o.validate();
    } catch (e) {
      throw new Error(`${where}: ${objectId(o)} fails its schema: ${(e as Error).message}`);
    }
  }
  return objects;
}

class TreeBuilder {
  readonly files: Tree = new Map();

  objects(path: string, source: string, objects: KubeObject[]): string {
    this.files.set(path, yamlFile(source, validated(objects, path)));
    return path.slice(path.lastIndexOf("/") + 1);
  }

  doc(path: string, source: string, doc: unknown): void {
    this.files.set(path, yamlDoc(source, doc));
  }
}

/** base/ carries prod's resources, the most reviewed values; other environments patch theirs in. */
function baseResources(app: AppSpec): ResourcesSpec {
  return forEnv(app.resources, "prod");
}

function appObjects(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  return [
    ...buildIdentity(tenant, app),
    ...buildConfigMaps(tenant, app),
    ...buildVolumeClaims(tenant, app),
    buildWorkload(tenant, app, baseResources(app)),
    ...buildServices(tenant, app),
    ...buildVpa(tenant, app),
    ...buildServiceMonitor(tenant, app),
    ...buildTriggerAuthentications(tenant, app),
  ];
}

function emitBase(b: TreeBuilder, src: TenantSource, all: readonly TenantSpec[]): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.base}/${tenant.name}`;
  const resources = tenant.apps.map((app) => b.objects(`${dir}/${app.name}.yaml`, file, appObjects(tenant, app)));
  resources.push(
    b.objects(`${dir}/tenant.yaml`, file, [...buildNetworkPolicies(tenant, all), ...buildPrometheusRule(tenant), ...buildDashboards(tenant), ...buildTenantConfigMaps(tenant)]),
  );
  const mesh = buildMeshBase(tenant, all);
  if (mesh.length > 0) resources.push(b.objects(`${dir}/mesh.yaml`, file, mesh));
  const jobs = buildJobs(tenant);
  if (jobs.length > 0) resources.push(b.objects(`${dir}/jobs.yaml`, file, jobs));
  b.doc(`${dir}/kustomization.yaml`, file, kustomization({ resources: resources.sort() }));
}

/** The image each app runs in an environment: its release pin (generators/release/pins.json), else the app's own tag and digest. */
export function imageFor(tenant: TenantSpec, app: AppSpec, env: Env, pins: Pins = currentPins()): ImageOverride {
  const pin = pinFor(pins, tenant.name, env, app.name);
  const tag = pin?.tag ?? app.image.tag;
  const digest = pin ? pin.digest : app.image.digest;
  return { name: app.image.repository, newTag: tag, ...(digest ? { digest } : {}) };
}

function resourcePatches(app: AppSpec, env: Env): Patch[] {
  const wanted = forEnv(app.resources, env);
  if (JSON.stringify(wanted) === JSON.stringify(baseResources(app))) return [];
  const ops: JsonPatchOp[] = [{ op: "replace", path: "/spec/template/spec/containers/0/resources", value: containerResources(wanted, app.gpus ?? 0) }];
  return [jsonPatch({ group: "apps", kind: app.kind ?? "Deployment", name: app.name }, ops)];
}

function emitEnvOverlay(b: TreeBuilder, src: TenantSource, env: Env): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.overlays}/${env}/${tenant.name}`;
  const resources = [`../../../${PATHS.base}/${tenant.name}`];
  const scaling = tenant.apps.flatMap((a) => [...buildHpa(tenant, a, env), ...buildScaledObject(tenant, a, env), ...buildPdb(tenant, a, env)]);
  if (scaling.length > 0) resources.push(b.objects(`${dir}/scaling.yaml`, file, scaling));
  const secrets = buildExternalSecrets(tenant, env);
  if (secrets.length > 0) resources.push(b.objects(`${dir}/external-secrets.yaml`, file, secrets));
  const quota = buildQuota(tenant, env);
  if (quota.length > 0) resources.push(b.objects(`${dir}/quota.yaml`, file, quota));

  const fixed = tenant.apps.filter((a) => !isAutoscaled(a));
  const images = [...new Map(tenant.apps.map((a) => [a.image.repository, imageFor(tenant, a, env)])).values()];
  const patches = tenant.apps.flatMap((a) => resourcePatches(a, env));
  const k: Kustomization = kustomization({ resources });
  if (fixed.length > 0) k.replicas = fixed.map((a) => ({ name: a.name, count: "replicas" in a.scaling ? forEnv(a.scaling.replicas, env) : 1 }));
  if (images.length > 0) k.images = images.sort((x, y) => x.name.localeCompare(y.name));
  if (patches.length > 0) k.patches = patches;
  b.doc(`${dir}/kustomization.yaml`, file, k);
}

function regionWorkloadsComponent(region: RegionSpec): Patch[] {
  const patches: Patch[] = [];
  if (region.gpuPool) {
    // Label-selected, so one patch covers every GPU workload of every tenant.
    const ops: JsonPatchOp[] = [{ op: "add", path: `/spec/template/spec/nodeSelector`, value: { [LABELS.karpenterNodePool]: region.gpuPool.name } }];
    patches.push(jsonPatch({ group: "apps", labelSelector: `${LABELS.gpu}=true` }, ops));
  }
  const dnsOps: JsonPatchOp[] = [{ op: "add", path: `/metadata/annotations/${pointerKey(ANNOTATIONS.externalDnsAwsRegion)}`, value: region.name }];
  patches.push(jsonPatch({ group: "networking.k8s.io", kind: "Ingress" }, dnsOps));
  return patches;
}

function emitRegions(b: TreeBuilder, fleet: Fleet): void {
  for (const region of fleet.regions) {
    const dir = `${PATHS.regions}/${region.name}`;
    b.doc(`${dir}/workloads/kustomization.yaml`, PLATFORM_SOURCE, component({ patches: regionWorkloadsComponent(region) }));
    const platform = b.objects(`${dir}/platform/region.yaml`, PLATFORM_SOURCE, buildPlatformRegion(region));
    b.doc(`${dir}/platform/kustomization.yaml`, PLATFORM_SOURCE, component({ resources: [platform] }));
  }
}

function emitCluster(b: TreeBuilder, fleet: Fleet, src: TenantSource, cluster: ClusterSpec): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.clusters}/${cluster.name}/${tenant.name}`;
  const resources = [`../../../${PATHS.overlays}/${cluster.env}/${tenant.name}`];
  const ingresses = tenant.apps.flatMap((a) => buildIngress(fleet, tenant, a, cluster));
  if (ingresses.length > 0) resources.push(b.objects(`${dir}/ingress.yaml`, file, ingresses));
  const mesh = buildMeshCluster(fleet, tenant, cluster);
  if (mesh.length > 0) resources.push(b.objects(`${dir}/mesh.yaml`, file, mesh));
  b.doc(`${dir}/kustomization.yaml`, file, kustomization({ resources, components: [`../../../${PATHS.regions}/${cluster.region}/workloads`] }));
}

function emitPlatform(b: TreeBuilder, fleet: Fleet, tenants: readonly TenantSpec[]): void {
  const base = `${PATHS.base}/${PLATFORM_TENANT}`;
  const files = [
    b.objects(`${base}/namespaces.yaml`, PLATFORM_SOURCE, buildNamespaces(tenants)),
    b.objects(`${base}/cluster.yaml`, PLATFORM_SOURCE, buildPlatformBase()),
  ];
  b.doc(`${base}/kustomization.yaml`, PLATFORM_SOURCE, kustomization({ resources: files.sort() }));
  for (const env of fleet.environments) {
    b.doc(`${PATHS.overlays}/${env.name}/${PLATFORM_TENANT}/kustomization.yaml`, PLATFORM_SOURCE, kustomization({ resources: [`../../../${base}`] }));
  }
  for (const cluster of fleet.clusters) {
    const dir = `${PATHS.clusters}/${cluster.name}/${PLATFORM_TENANT}`;
    const gpu = regionSpec(fleet, cluster.region).gpuPool !== undefined;
    const nodeClasses = b.objects(`${dir}/cluster.yaml`, PLATFORM_SOURCE, buildPlatformCluster(cluster, gpu));
    b.doc(
      `${dir}/kustomization.yaml`,
      PLATFORM_SOURCE,
      kustomization({ resources: [`../../../${PATHS.overlays}/${cluster.env}/${PLATFORM_TENANT}`, nodeClasses], components: [`../../../${PATHS.regions}/${cluster.region}/platform`] }),
    );
  }
}

/** The platform tenant: its own namespace plus every cluster-scoped kind it emits. */
export const PLATFORM_SPEC: TenantSpec = {
  name: PLATFORM_TENANT,
  description: "Cluster-scoped foundations: namespaces, node pools, storage, certificate issuer, secret stores.",
  apps: [],
};

const PLATFORM_CLUSTER_KINDS = [
  { group: "", kind: "Namespace" },
  { group: "storage.k8s.io", kind: "StorageClass" },
  { group: "cert-manager.io", kind: "ClusterIssuer" },
  { group: "external-secrets.io", kind: "ClusterSecretStore" },
  { group: "karpenter.sh", kind: "NodePool" },
  { group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
];

function argoTenants(fleet: Fleet, tenants: readonly TenantSpec[]): ArgoTenant[] {
  const platform: ArgoTenant = {
    name: PLATFORM_TENANT,
    description: PLATFORM_SPEC.description,
    namespace: PLATFORM_TENANT,
    clusters: fleet.clusters,
    clusterResources: PLATFORM_CLUSTER_KINDS,
    autoscaled: [],
    wave: WAVES.platform,
    inputs: [
      `${PATHS.clusters}/{{.cluster}}/${PLATFORM_TENANT}`,
      `${PATHS.overlays}/{{.env}}/${PLATFORM_TENANT}`,
      `${PATHS.base}/${PLATFORM_TENANT}`,
      `${PATHS.regions}/{{.region}}/platform`,
    ],
  };
  const apps = tenants.map(
    (t): ArgoTenant => ({
      name: t.name,
      description: t.description,
      namespace: tenantNamespace(t),
      clusters: fleet.clusters,
      clusterResources: [],
      wave: WAVES.tenants,
      autoscaled: t.apps.filter(isAutoscaled).map((a) => ({ kind: a.kind ?? "Deployment", name: a.name })),
      inputs: [`${PATHS.clusters}/{{.cluster}}/${t.name}`, `${PATHS.overlays}/{{.env}}/${t.name}`, `${PATHS.base}/${t.name}`, `${PATHS.regions}/{{.region}}/workloads`],
    }),
  );
  return [platform, ...apps];
}

function emitApps(b: TreeBuilder, fleet: Fleet, tenants: readonly TenantSpec[]): void {
  b.objects(`${PATHS.apps}/root.yaml`, ARGO_SOURCE, buildRoot());
  const argo = argoTenants(fleet, tenants);
  const addonSets = ADDONS.flatMap((a) => buildAddonApplicationSet(fleet, a) ?? []);
  const files = [
    b.objects(`${FLEET_APPS_PATH}/projects.yaml`, ARGO_SOURCE, [buildDefaultProject(), buildAddonsProject(fleet), ...argo.flatMap(buildProjects)]),
    b.objects(`${FLEET_APPS_PATH}/addons.yaml`, ADDONS_SOURCE, [buildArgoCdApplication(), ...addonSets]),
    b.objects(`${FLEET_APPS_PATH}/applicationsets.yaml`, ARGO_SOURCE, argo.map((t) => buildApplicationSet(t, fleet))),
  ];
  b.doc(`${FLEET_APPS_PATH}/kustomization.yaml`, ARGO_SOURCE, kustomization({ resources: files }));
}

/** The whole generated tree for a fleet and its tenants. Throws before returning anything on a builder error. */
export function buildTree(fleet: Fleet, sources: readonly TenantSource[]): Tree {
  const b = new TreeBuilder();
  const tenants = sources.map((s) => s.spec);
  for (const src of sources) {
    emitBase(b, src, tenants);
    for (const env of fleet.environments) emitEnvOverlay(b, src, env.name);
    for (const cluster of fleet.clusters) emitCluster(b, fleet, src, cluster);
  }
  emitRegions(b, fleet);
  emitPlatform(b, fleet, [PLATFORM_SPEC, ...tenants]);
  emitApps(b, fleet, tenants);
  return new Map([...b.files.entries()].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0)));
}
