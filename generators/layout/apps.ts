/**
 * The Argo CD adapter of the layout: turns the fleet and tenant specs into the
 * builders' ArgoTenant view and writes apps/ (root, projects, ApplicationSets, add-ons).
 */
import { FLEET_APPS_PATH, IN_CLUSTER, MESH_DEFAULTS, PATHS, PLATFORM, PLATFORM_TENANT, VOLUME_BACKUP, WAVES } from "../fleet/constants.js";
import { applicationsPerCluster, expandAll } from "../argo/expand.js";
import { argoCdScale, type ArgoCdScale } from "../addons/argocd-scale.js";
import type { Fleet } from "../fleet/fleet.js";
import type { TenantSpec } from "../api/tenant.js";
import { isAutoscaled } from "../api/replicas.js";
import { PLATFORM_CLUSTER_KINDS, PLATFORM_SPEC } from "../tenants/platform.js";
import { tenantNamespace } from "../builders/labels.js";
import type { ArgoTenant } from "../builders/argocd-apps.js";
import { buildAddonsProject, buildApplicationSet, buildDefaultProject, buildProjects, buildRoot } from "../builders/argocd-apps.js";
import { buildAddonApplicationSet, buildArgoCdApplication } from "../builders/addons.js";
import { ADDONS } from "../addons/catalogue.js";
import type { TreeBuilder } from "./files.js";
import { kustomization } from "./kustomization.js";
import type { KubeObject } from "../builders/object.js";

const ARGO_SOURCE = "generators/builders/argocd-apps.ts and generators/fleet/fleet.ts";
const ADDONS_SOURCE = "generators/addons/catalogue.ts and generators/fleet/fleet.ts";

/** The folders an Application of the tenant reads, every cluster and environment. */
/** The folders whose objects a tenant's Applications in `env` sync: its base, the env's overlay and the env's clusters. */
function tenantFolders(fleet: Fleet, tenant: string, env: string): string[] {
  const clusters = fleet.clusters.filter((c) => c.env === env);
  return [`${PATHS.base}/${tenant}`, `${PATHS.overlays}/${env}/${tenant}`, ...clusters.map((c) => `${PATHS.clusters}/${c.name}/${tenant}`)];
}

/** The region overlays the env's clusters use (the platform's folders include them). */
function regionFolders(fleet: Fleet, env: string): string[] {
  return [...new Set(fleet.clusters.filter((c) => c.env === env).map((c) => `${PATHS.regions}/${c.region}`))];
}

/** Namespaces of the gateway workloads the tenants' meshes use. */
function gatewayNamespaces(tenants: readonly TenantSpec[]): string[] {
  return tenants.flatMap((t) => (t.mesh ? [t.mesh.gatewayNamespace ?? MESH_DEFAULTS.gatewayNamespace] : []));
}

function argoTenants(b: TreeBuilder, fleet: Fleet, tenants: readonly TenantSpec[]): ArgoTenant[] {
  const platform: ArgoTenant = {
    name: PLATFORM_TENANT,
    description: PLATFORM_SPEC.description,
    namespace: PLATFORM_TENANT,
    // The platform writes the guardrails into every tenant namespace, Grafana's objects into monitoring,
    // the tenants' gateway certificates where the Istio gateways read them, and Velero's locations and schedules.
    extraNamespaces: [
      ...new Set([
        ...tenants.map(tenantNamespace),
        PLATFORM.monitoringNamespace,
        ...gatewayNamespaces(tenants),
        VOLUME_BACKUP.veleroNamespace,
      ]),
    ],
    namespacedResources: (env) => b.namespacedKinds([...tenantFolders(fleet, PLATFORM_TENANT, env), ...regionFolders(fleet, env)]),
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
      extraNamespaces: [],
      // Exactly the kinds its builders emitted: a planted NetworkPolicy, quota or RoleBinding of another kind is refused.
      namespacedResources: (env) => b.namespacedKinds(tenantFolders(fleet, t.name, env)),
      clusters: fleet.clusters,
      clusterResources: [],
      wave: WAVES.tenants,
      autoscaled: t.apps.filter(isAutoscaled).map((a) => ({ kind: a.kind ?? "Deployment", name: a.name })),
      inputs: [
        `${PATHS.clusters}/{{.cluster}}/${t.name}`,
        `${PATHS.overlays}/{{.env}}/${t.name}`,
        `${PATHS.base}/${t.name}`,
        `${PATHS.regions}/{{.region}}/workloads`,
      ],
    }),
  );
  return [platform, ...apps];
}

/**
 * Argo CD sized for what it will run: every Application the root and the ApplicationSets
 * expand to (the one expansion model, argo/expand.ts), plus the `argocd` Application itself.
 */
function scaleFor(objects: readonly KubeObject[]): ArgoCdScale {
  const load = applicationsPerCluster(expandAll(objects.map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>)));
  load.set(IN_CLUSTER, (load.get(IN_CLUSTER) ?? 0) + 1);
  return argoCdScale({ applicationsPerCluster: load });
}

export function emitApps(b: TreeBuilder, fleet: Fleet, tenants: readonly TenantSpec[]): void {
  const root = buildRoot();
  b.objects(`${PATHS.apps}/root.yaml`, ARGO_SOURCE, root);
  const argo = argoTenants(b, fleet, tenants);
  const addonSets = ADDONS.flatMap((a) => buildAddonApplicationSet(fleet, a) ?? []);
  const tenantSets = argo.map((t) => buildApplicationSet(t, fleet));
  const argocd = buildArgoCdApplication(scaleFor([...root, ...addonSets, ...tenantSets]));
  const files = [
    b.objects(`${FLEET_APPS_PATH}/projects.yaml`, ARGO_SOURCE, [
      buildDefaultProject(),
      buildAddonsProject(fleet),
      ...argo.flatMap(buildProjects),
    ]),
    b.objects(`${FLEET_APPS_PATH}/addons.yaml`, ADDONS_SOURCE, [argocd, ...addonSets]),
    b.objects(`${FLEET_APPS_PATH}/applicationsets.yaml`, ARGO_SOURCE, tenantSets),
  ];
  b.doc(`${FLEET_APPS_PATH}/kustomization.yaml`, ARGO_SOURCE, kustomization({ resources: files }));
}
