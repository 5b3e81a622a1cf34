/**
 * The layout: which object goes into which folder. Everything is built and validated
 * in memory and returned as path -> bytes; the writer decides what touches the disk.
 *
 *   base/<tenant>/                      env-independent objects, one file per app
 *   overlays/<env>/<tenant>/            replicas, images, HPAs, KEDA ScaledObjects, PDBs, ExternalSecrets, resource patches
 *   overlays/regions/<region>/workloads Component: GPU node-pool selection, DNS region
 *   overlays/regions/<region>/platform  Component: the region's GPU NodePool and secret store
 *   clusters/<cluster>/<tenant>/        env overlay + region component + the cluster's HTTPRoutes (or Ingresses)
 *   apps/                               Argo CD: root, projects, ApplicationSets (emit/argo.ts)
 */
import { ANNOTATIONS, GATEWAY_API_GROUP, IRSA_ROLE_ANNOTATION, LABELS, PATHS, PLATFORM_TENANT } from "../fleet/constants.js";
import type { ClusterSpec, Env, Fleet, RegionSpec } from "../fleet/fleet.js";
import { baseEnvironment, regionSpec } from "../fleet/fleet.js";
import { copyRegion } from "../api/components/postgres.js";
import type { AppSpec, JobSpec, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import type { TenantSource } from "../api/source.js";
import { forEnv } from "../api/per-env.js";
import type { Pins } from "../api/pins.js";
import { PLATFORM_SPEC } from "../tenants/platform.js";
import type { KubeObject } from "../builders/object.js";
import { buildWorkload, buildVolumeClaims } from "../builders/workload.js";
import { buildServices } from "../builders/service.js";
import { buildIdentity } from "../builders/identity.js";
import { buildConfigMaps, buildDashboards, buildTenantConfigMaps } from "../builders/config.js";
import { buildExternalSecrets, buildPlatformExternalSecrets, buildSecretStores, secretStoreRoles } from "../builders/secrets.js";
import { buildAdmissionPolicies } from "../builders/admission.js";
import { awsJobs, jobRoleArn, jobRoles } from "../builders/workload-identity.js";
import { buildHpa, buildPdb, buildReplicaCounts } from "../builders/scaling.js";
import { buildVpa } from "../builders/vpa.js";
import { buildScaledObject, buildTriggerAuthentications } from "../builders/keda.js";
import { buildClusterNetworkPolicies, buildNetworkPolicies } from "../builders/network.js";
import { buildGlobalCertificates, globalCertificateRoles } from "../builders/certificates.js";
import { buildEdge, buildHttpRoute, edgeNamespaces } from "../builders/edge.js";
import { buildPrometheusRule, buildServiceMonitor } from "../builders/monitoring.js";
import { containerResources } from "../builders/pod.js";
import { buildNamespaces, buildPlatformBase, buildPlatformCluster, buildPlatformRegion } from "../builders/platform.js";
import { buildGatewayCertificates, buildMeshBase, buildMeshCluster } from "../builders/istio.js";
import { buildJobs } from "../builders/jobs.js";
import { buildQuota } from "../builders/quota.js";
import { buildKedaTriggerAuthentications, kedaRoles } from "../builders/keda-identity.js";
import { buildDatabaseNetworkPolicies, buildDatabases, databaseRoles } from "../builders/postgres.js";
import { buildSnapshotClass, buildVolumeBackups, veleroIam } from "../builders/volume-backup.js";
import { buildRestores } from "../builders/postgres-restore.js";
import type { JsonPatchOp, Kustomization, Patch } from "./kustomization.js";
import { component, jsonPatch, kustomization, pointerKey } from "./kustomization.js";
import { TreeBuilder, type ObjectObserver, type Tree } from "./files.js";
import { imagesFor } from "./images.js";
import { emitApps } from "./apps.js";

export type { Tree } from "./files.js";

const PLATFORM_SOURCE = "generators/builders/platform.ts and generators/fleet/fleet.ts";
const EDGE_SOURCE = "generators/builders/edge.ts and generators/fleet/fleet.ts";
const CERTIFICATES_SOURCE = "generators/builders/certificates.ts and generators/fleet/fleet.ts";
const IAM_JOBS_SOURCE = "generators/builders/workload-identity.ts and the tenants' jobs";
const PG_SOURCE = "generators/builders/postgres.ts and the tenants' databases";
const VOLUME_SOURCE = "generators/builders/volume-backup.ts and the tenants' durability";
const SECRETS_SOURCE = "generators/builders/secrets.ts and generators/fleet/fleet.ts";

/** base/ carries the production environment's resources, the most reviewed values; other environments patch theirs in. */
function baseResources(app: AppSpec, baseEnv: Env): ResourcesSpec {
  return forEnv(app.resources, baseEnv);
}

function appObjects(tenant: TenantSpec, app: AppSpec, baseEnv: Env): KubeObject[] {
  return [
    ...buildIdentity(tenant, app),
    ...buildConfigMaps(tenant, app),
    ...buildVolumeClaims(tenant, app),
    buildWorkload(tenant, app, baseResources(app, baseEnv)),
    ...buildServices(tenant, app),
    ...buildVpa(tenant, app),
    ...buildServiceMonitor(tenant, app),
    ...buildTriggerAuthentications(tenant, app),
  ];
}

const isNetworkPolicy = (o: KubeObject): boolean => o.kind === "NetworkPolicy";

/** Every NetworkPolicy of a tenant namespace: the apps' (with default-deny) and the Jobs'; the platform emits them. */
function tenantNetworkPolicies(tenant: TenantSpec, all: readonly TenantSpec[], edge: readonly string[]): KubeObject[] {
  return [
    ...buildNetworkPolicies(tenant, all, edge),
    ...buildJobs(tenant).filter(isNetworkPolicy),
    ...buildDatabaseNetworkPolicies(tenant),
  ];
}

function emitBase(b: TreeBuilder, src: TenantSource, all: readonly TenantSpec[], baseEnv: Env, edge: readonly string[]): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.base}/${tenant.name}`;
  const resources = tenant.apps.map((app) => b.objects(`${dir}/${app.name}.yaml`, file, appObjects(tenant, app, baseEnv)));
  // NetworkPolicies, quotas and dashboards are the platform's (emitPlatform): a tenant folder cannot open or enlarge its namespace.
  const shared = [...buildPrometheusRule(tenant), ...buildTenantConfigMaps(tenant)];
  if (shared.length > 0) resources.push(b.objects(`${dir}/tenant.yaml`, file, shared));
  const mesh = buildMeshBase(tenant, all, edge);
  if (mesh.length > 0) resources.push(b.objects(`${dir}/mesh.yaml`, file, mesh));
  const jobs = buildJobs(tenant).filter((o) => !isNetworkPolicy(o));
  if (jobs.length > 0) resources.push(b.objects(`${dir}/jobs.yaml`, file, jobs));
  b.doc(`${dir}/kustomization.yaml`, file, kustomization({ resources: resources.sort() }));
}

function resourcePatches(app: AppSpec, env: Env, baseEnv: Env): Patch[] {
  const wanted = forEnv(app.resources, env);
  if (JSON.stringify(wanted) === JSON.stringify(baseResources(app, baseEnv))) return [];
  const ops: JsonPatchOp[] = [
    { op: "replace", path: "/spec/template/spec/containers/0/resources", value: containerResources(wanted, app.gpus ?? 0) },
  ];
  return [jsonPatch({ group: "apps", kind: app.kind ?? "Deployment", name: app.name }, ops)];
}

/** The environment's IAM role on an AWS-using Job's ServiceAccount (build/workload-identity.ts). */
function roleAnnotation(tenant: TenantSpec, job: JobSpec, env: Env): Patch {
  const ops: JsonPatchOp[] = [
    { op: "add", path: "/metadata/annotations", value: { [IRSA_ROLE_ANNOTATION]: jobRoleArn(env, tenant, job) } },
  ];
  return jsonPatch({ kind: "ServiceAccount", name: job.name }, ops);
}

function emitEnvOverlay(b: TreeBuilder, src: TenantSource, env: Env, pins: Pins, baseEnv: Env): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.overlays}/${env}/${tenant.name}`;
  const resources = [`../../../${PATHS.base}/${tenant.name}`];
  const scaling = tenant.apps.flatMap((a) => [
    ...buildHpa(tenant, a, env),
    ...buildScaledObject(tenant, a, env),
    ...buildPdb(tenant, a, env),
  ]);
  if (scaling.length > 0) resources.push(b.objects(`${dir}/scaling.yaml`, file, scaling));
  const secrets = buildExternalSecrets(tenant, env);
  if (secrets.length > 0) resources.push(b.objects(`${dir}/external-secrets.yaml`, file, secrets));

  const replicas = buildReplicaCounts(tenant, env);
  const images = imagesFor(tenant, env, pins);
  const patches = [
    ...tenant.apps.flatMap((a) => resourcePatches(a, env, baseEnv)),
    ...awsJobs(tenant).map((j) => roleAnnotation(tenant, j, env)),
  ];
  const k: Kustomization = kustomization({ resources });
  if (replicas.length > 0) k.replicas = replicas;
  if (images.length > 0) k.images = images.sort((x, y) => x.name.localeCompare(y.name));
  if (patches.length > 0) k.patches = patches;
  b.doc(`${dir}/kustomization.yaml`, file, k);
}

function regionWorkloadsComponent(region: RegionSpec): Patch[] {
  const patches: Patch[] = [];
  if (region.gpuPool) {
    // Label-selected, so one patch covers every GPU workload of every tenant.
    const ops: JsonPatchOp[] = [
      { op: "add", path: `/spec/template/spec/nodeSelector`, value: { [LABELS.karpenterNodePool]: region.gpuPool.name } },
    ];
    patches.push(jsonPatch({ group: "apps", labelSelector: `${LABELS.gpu}=true` }, ops));
  }
  const dnsOps: JsonPatchOp[] = [
    { op: "add", path: `/metadata/annotations/${pointerKey(ANNOTATIONS.externalDnsAwsRegion)}`, value: region.name },
  ];
  patches.push(jsonPatch({ group: "networking.k8s.io", kind: "Ingress" }, dnsOps));
  patches.push(jsonPatch({ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }, dnsOps));
  return patches;
}

function emitRegions(b: TreeBuilder, fleet: Fleet): void {
  for (const region of fleet.regions) {
    const dir = `${PATHS.regions}/${region.name}`;
    b.doc(`${dir}/workloads/kustomization.yaml`, PLATFORM_SOURCE, component({ patches: regionWorkloadsComponent(region) }));
    const objects = buildPlatformRegion(region);
    const platform = objects.length > 0 ? [b.objects(`${dir}/platform/region.yaml`, PLATFORM_SOURCE, objects)] : [];
    b.doc(`${dir}/platform/kustomization.yaml`, PLATFORM_SOURCE, component({ resources: platform }));
  }
}

function emitCluster(b: TreeBuilder, fleet: Fleet, src: TenantSource, cluster: ClusterSpec): void {
  const { spec: tenant, file } = src;
  const dir = `${PATHS.clusters}/${cluster.name}/${tenant.name}`;
  const resources = [`../../../${PATHS.overlays}/${cluster.env}/${tenant.name}`];
  const routes = tenant.apps.flatMap((a) => buildHttpRoute(fleet, tenant, a, cluster));
  if (routes.length > 0) resources.push(b.objects(`${dir}/routes.yaml`, file, routes));
  const mesh = buildMeshCluster(fleet, tenant, cluster);
  if (mesh.length > 0) resources.push(b.objects(`${dir}/mesh.yaml`, file, mesh));
  // CloudNativePG objects are per cluster: the backup bucket and prefix, and the IAM role, name the cluster.
  const databases = buildDatabases(fleet, tenant, cluster);
  if (databases.length > 0) resources.push(b.objects(`${dir}/postgres.yaml`, file, databases));
  // Not synced (outside the Application's kustomization): the restore path, rendered by its test (docs/restore.md).
  const restores = buildRestores(fleet, tenant, cluster);
  if (restores.length > 0)
    b.doc(
      `${dir}/restore/kustomization.yaml`,
      file,
      kustomization({ resources: [b.objects(`${dir}/restore/postgres.yaml`, file, restores)] }),
    );
  b.doc(
    `${dir}/kustomization.yaml`,
    file,
    kustomization({ resources, components: [`../../../${PATHS.regions}/${cluster.region}/workloads`] }),
  );
}

/**
 * The platform tenant: cluster-scoped objects, and the guardrails of every tenant namespace
 * (NetworkPolicies, quotas, secret stores, admission policies) so that no tenant folder can
 * change them. Grafana's dashboards and admin secret live in the monitoring namespace.
 */
function emitPlatform(b: TreeBuilder, fleet: Fleet, tenants: readonly TenantSpec[]): void {
  const apps = tenants.filter((t) => t.name !== PLATFORM_TENANT);
  const platform = tenants.find((t) => t.name === PLATFORM_TENANT) ?? PLATFORM_SPEC;
  const base = `${PATHS.base}/${PLATFORM_TENANT}`;
  const files = [
    b.objects(`${base}/namespaces.yaml`, PLATFORM_SOURCE, buildNamespaces(tenants)),
    b.objects(`${base}/cluster.yaml`, PLATFORM_SOURCE, buildPlatformBase()),
    b.objects(
      `${base}/network-policies.yaml`,
      PLATFORM_SOURCE,
      apps.flatMap((t) => tenantNetworkPolicies(t, apps, edgeNamespaces())),
    ),
  ];
  const dashboards = apps.flatMap(buildDashboards);
  if (dashboards.length > 0) files.push(b.objects(`${base}/dashboards.yaml`, PLATFORM_SOURCE, dashboards));
  b.doc(`${base}/kustomization.yaml`, PLATFORM_SOURCE, kustomization({ resources: files.sort() }));
  for (const env of fleet.environments) {
    const roles = jobRoles(fleet, env.name, apps);
    if (roles.length > 0) b.doc(`${PATHS.iam}/jobs-${env.name}.yaml`, IAM_JOBS_SOURCE, { environment: env.name, roles });
    const dir = `${PATHS.overlays}/${env.name}/${PLATFORM_TENANT}`;
    const resources = [`../../../${base}`];
    const quota = apps.flatMap((t) => buildQuota(t, env.name));
    if (quota.length > 0) resources.push(b.objects(`${dir}/quota.yaml`, PLATFORM_SOURCE, quota));
    b.doc(`${dir}/kustomization.yaml`, PLATFORM_SOURCE, kustomization({ resources }));
  }
  for (const cluster of fleet.clusters) {
    const dir = `${PATHS.clusters}/${cluster.name}/${PLATFORM_TENANT}`;
    const gpu = regionSpec(fleet, cluster.region).gpuPool !== undefined;
    const resources = [
      `../../../${PATHS.overlays}/${cluster.env}/${PLATFORM_TENANT}`,
      b.objects(`${dir}/admission.yaml`, PLATFORM_SOURCE, buildAdmissionPolicies(fleet, cluster, apps)),
      b.objects(`${dir}/cluster.yaml`, PLATFORM_SOURCE, buildPlatformCluster(cluster, gpu, copyRegion(fleet, cluster))),
      b.objects(`${dir}/volume-backups.yaml`, VOLUME_SOURCE, [
        ...buildSnapshotClass(fleet, cluster),
        ...buildVolumeBackups(fleet, cluster, apps),
      ]),
      b.objects(`${dir}/keda-identity.yaml`, PLATFORM_SOURCE, buildKedaTriggerAuthentications(cluster, apps)),
      b.objects(`${dir}/secret-stores.yaml`, PLATFORM_SOURCE, [
        ...buildSecretStores(cluster, apps),
        ...buildPlatformExternalSecrets(cluster.env, platform),
      ]),
    ];
    const vpcPolicies = apps.flatMap((t) => buildClusterNetworkPolicies(t, apps, cluster));
    if (vpcPolicies.length > 0) resources.push(b.objects(`${dir}/network-policies.yaml`, PLATFORM_SOURCE, vpcPolicies));
    const certificates = buildGatewayCertificates(fleet, cluster, apps);
    if (certificates.length > 0) resources.push(b.objects(`${dir}/gateway-certificates.yaml`, PLATFORM_SOURCE, certificates));
    const edge = buildEdge(fleet, cluster, apps);
    if (edge.length > 0) resources.push(b.objects(`${dir}/edge.yaml`, EDGE_SOURCE, edge));
    const global = buildGlobalCertificates(fleet, cluster, apps);
    if (global.length > 0) resources.push(b.objects(`${dir}/global-certificates.yaml`, CERTIFICATES_SOURCE, global));
    b.doc(
      `${dir}/kustomization.yaml`,
      PLATFORM_SOURCE,
      kustomization({ resources, components: [`../../../${PATHS.regions}/${cluster.region}/platform`] }),
    );
    // Not a manifest: the IAM roles the secret stores assume, for Terraform (yamldecode) and for review.
    b.doc(`${PATHS.iam}/${cluster.name}.yaml`, SECRETS_SOURCE, {
      cluster: cluster.name,
      roles: [...secretStoreRoles(cluster, apps), ...kedaRoles(cluster, apps), ...globalCertificateRoles(fleet, cluster, apps)],
    });
    const pgRoles = databaseRoles(fleet, cluster, apps);
    if (pgRoles.length > 0) b.doc(`${PATHS.iam}/postgres-${cluster.name}.yaml`, PG_SOURCE, { cluster: cluster.name, roles: pgRoles });
    b.doc(`${PATHS.iam}/velero-${cluster.name}.yaml`, VOLUME_SOURCE, veleroIam(fleet, cluster, apps));
  }
}

/** The whole generated tree for a fleet, its tenants and their release pins. Throws before returning anything on a builder error. */
export function layoutTree(fleet: Fleet, sources: readonly TenantSource[], pins: Pins, observe?: ObjectObserver): Tree {
  const b = new TreeBuilder(observe);
  const tenants = sources.map((s) => s.spec);
  const baseEnv = baseEnvironment(fleet);
  for (const src of sources) {
    emitBase(b, src, tenants, baseEnv, edgeNamespaces());
    for (const env of fleet.environments) emitEnvOverlay(b, src, env.name, pins, baseEnv);
    for (const cluster of fleet.clusters) emitCluster(b, fleet, src, cluster);
  }
  emitRegions(b, fleet);
  emitPlatform(b, fleet, [PLATFORM_SPEC, ...tenants]);
  emitApps(b, fleet, tenants);
  return b.sorted();
}
