/**
 * The sync of an empty cluster, as a plan: which part (an EKS-managed part, an add-on
 * Application, the platform or a tenant Application) arrives in which root sync wave,
 * with what it provides and the objects it applies. Built from what Argo CD itself reads:
 * the objects under apps/ (ApplicationSets expanded with generators/argo/expand.ts, the
 * add-ons' Helm values parsed back from each Application), the rendered cluster folders,
 * and the fleet model's EKS parts. Pure: no disk, no network.
 */
import { memoByIdentity } from "../memo.js";
import { parseDocument } from "../../argo/manifest-yaml.js";
import { ANNOTATIONS, LABELS, PATHS } from "../../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../../fleet/fleet.js";
import { eksAddonVersion } from "../../fleet/eks-calendar.js";
import type { Addon } from "../../addons/catalogue.js";
import { eksModel } from "../../addons/eks.js";
import type { ModelObject, PartModel, Provides, StorageClassSpec } from "../../addons/provides.js";
import { expandApplicationSet, ExpansionError, type AppSetLike } from "../../argo/expand.js";
import { isClusterScoped } from "../../argo/scope.js";
import { groupOf, isObj, kindOf, labelsOf, nameOf, namespaceOf, obj, str, strMap, waveOf, type Obj } from "../policy/util.js";

/** What the pass reads. `folders` fits RenderedFolder (generators/render/render.ts). */
export interface BootstrapInput {
  fleet: Fleet;
  apps: readonly Record<string, unknown>[];
  folders: readonly { cluster: string; tenant: string; objects: readonly Record<string, unknown>[] }[];
  addons: readonly Addon[];
}

export type PartKind = "eks" | "argocd" | "addon" | "platform" | "tenant";

/** One thing the sync installs on a cluster. */
export interface Part {
  /** Application name, or "eks". */
  name: string;
  kind: PartKind;
  /** Root sync wave; -Infinity for what EKS provides before Argo CD starts. */
  wave: number;
  /** The Application (expanded), when Argo CD installs it. */
  app?: Obj;
  provides: Provides;
  /** Objects it applies that have prerequisites: the rendered folder, or the add-on model's summaries. */
  objects: readonly ModelObject[];
  model?: PartModel;
  /** For the plan: what an EKS part consists of. */
  summary?: string;
  /** The namespace Argo CD creates for it (CreateNamespace=true), with managedNamespaceMetadata labels. */
  createdNamespace?: { name: string; labels: Record<string, string> };
}

/** One cluster's sync from empty. Not changed once built: `before` and `namespaceLabels` index it. */
export interface ClusterPlan {
  readonly cluster: string;
  readonly spec: ClusterSpec | undefined;
  readonly parts: readonly Part[];
}

export const EKS_WAVE = Number.NEGATIVE_INFINITY;

/** One definition of an object's wave, in the accessor module (re-exported for the bootstrap rules). */
export { waveOf };

/** The Application that syncs apps/fleet: its children are gated by their waves. */
export function isRoot(o: Obj): boolean {
  return kindOf(o) === "Application" && str(obj(obj(o.spec).source).path) === `${PATHS.apps}/fleet`;
}

export interface RootApplication {
  app: Obj;
  /** The root wave that gates it: its own, or its ApplicationSet's. */
  wave: number;
  /** The ApplicationSet it came from. */
  from?: string;
}

/**
 * Every Application the root's sync leads to, with the root wave that gates it (an
 * ApplicationSet's wave for its Applications). Expanding apps/ is O(Applications) and a
 * check plans one cluster batch at a time over the same list, so it is kept per list.
 */
export const rootApplications: (apps: readonly Obj[]) => RootApplication[] = memoByIdentity((apps: readonly Obj[]) => {
  const out: RootApplication[] = [];
  for (const o of apps) {
    if (kindOf(o) === "Application" && !isRoot(o)) out.push({ app: o, wave: waveOf(o) });
    if (kindOf(o) !== "ApplicationSet") continue;
    try {
      for (const a of expandApplicationSet(o as unknown as AppSetLike))
        out.push({ app: a as unknown as Obj, wave: waveOf(o), from: nameOf(o) });
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      // An ApplicationSet that does not expand is the argo-appset-expand rule's finding.
    }
  }
  return out;
});

/** rootApplications grouped by destination cluster, in the same order. */
const rootsByCluster = memoByIdentity((apps: readonly Obj[]): Map<string, RootApplication[]> => {
  const byCluster = new Map<string, RootApplication[]>();
  for (const r of rootApplications(apps)) {
    const list = byCluster.get(clusterOf(r.app));
    if (list) list.push(r);
    else byCluster.set(clusterOf(r.app), [r]);
  }
  return byCluster;
});

/** What rendered objects provide to later waves: namespaces, StorageClasses, Services, IngressClasses. */
function renderedProvides(objects: readonly Obj[]): Provides {
  const storageClasses: StorageClassSpec[] = [];
  const namespaces: string[] = [];
  const services: { name: string; namespace: string }[] = [];
  const ingressClasses: { name: string; default: boolean }[] = [];
  const crds: { group: string; kinds: string[] }[] = [];
  for (const o of objects) {
    const kind = kindOf(o);
    if (kind === "Namespace") namespaces.push(nameOf(o));
    if (kind === "StorageClass")
      storageClasses.push({
        name: nameOf(o),
        provisioner: str(o.provisioner) ?? "",
        default: obj(obj(o.metadata).annotations)[ANNOTATIONS.defaultStorageClass] === "true",
      });
    if (kind === "Service") services.push({ name: nameOf(o), namespace: namespaceOf(o) });
    if (kind === "CustomResourceDefinition") {
      const spec = obj(o.spec);
      crds.push({ group: str(spec.group) ?? "", kinds: [str(obj(spec.names).kind) ?? ""] });
    }
  }
  return { namespaces, storageClasses, services, ingressClasses, crds };
}

function clusterOf(app: Obj): string {
  const dest = obj(obj(app.spec).destination);
  return str(dest.name) ?? str(dest.server) ?? "";
}

function createdNamespace(app: Obj): Part["createdNamespace"] {
  const spec = obj(app.spec);
  const sync = obj(spec.syncPolicy);
  const opts = (Array.isArray(sync.syncOptions) ? sync.syncOptions : []).filter((x): x is string => typeof x === "string");
  if (!opts.includes("CreateNamespace=true")) return undefined;
  const ns = str(obj(spec.destination).namespace);
  return ns ? { name: ns, labels: strMap(obj(obj(sync.managedNamespaceMetadata).labels)) } : undefined;
}

function addonPart(app: Obj, wave: number, addon: Addon, cluster: ClusterSpec): Part {
  const text = str(obj(obj(obj(app.spec).source).helm).values);
  let values: unknown = {};
  try {
    values = text ? (parseDocument(text, nameOf(app)) ?? {}) : {};
  } catch {
    values = {};
  }
  const model = addon.model(isObj(values) ? values : {}, cluster);
  const created = createdNamespace(app);
  return {
    name: nameOf(app),
    kind: "addon",
    wave,
    app,
    provides: { ...model.provides, namespaces: [...(model.provides.namespaces ?? []), ...(created ? [created.name] : [])] },
    objects: model.objects,
    model,
    ...(created ? { createdNamespace: created } : {}),
  };
}

/**
 * The plan of each of `clusters` (default: every cluster of the fleet and any cluster the
 * rendered folders name), parts in wave order. Linear in the clusters asked for: a check
 * asks one batch at a time.
 */
export function buildPlans(input: BootstrapInput, clusters?: readonly string[]): ClusterPlan[] {
  const roots = rootsByCluster(input.apps as readonly Obj[]);
  const names = clusters ?? [...new Set([...input.fleet.clusters.map((c) => c.name), ...input.folders.map((f) => f.cluster)])];
  return names.map((cluster) => {
    const spec = input.fleet.clusters.find((c) => c.name === cluster);
    const eks = eksModel(input.fleet.eks);
    const managed = (input.fleet.eks?.managedAddons ?? []).map(
      (a) =>
        `${a.name} ${a.version ?? (a.name !== "eks-pod-identity-agent" && spec ? (eksAddonVersion(a.name, spec.kubernetesVersion) ?? "unknown") : "unknown")}${
          a.configuration
            ? ` (${Object.entries(a.configuration)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")})`
            : ""
        }`,
    );
    const summary = `EKS built-ins; managed add-ons: ${managed.length > 0 ? managed.join(", ") : "none"}; ${input.fleet.eks?.prerequisites.length ?? 0} verified prerequisites`;
    const parts: Part[] = [{ name: "eks", kind: "eks", wave: EKS_WAVE, provides: eks.provides, objects: [], model: eks, summary }];
    for (const { app, wave } of roots.get(cluster) ?? []) {
      const labels = labelsOf(app);
      const addon = labels[LABELS.component] === "addon" ? input.addons.find((a) => a.name === labels[LABELS.name]) : undefined;
      if (addon && spec) {
        parts.push(addonPart(app, wave, addon, spec));
        continue;
      }
      const path = str(obj(obj(app.spec).source).path) ?? "";
      const tenant = path.startsWith(`${PATHS.clusters}/${cluster}/`) ? path.slice(`${PATHS.clusters}/${cluster}/`.length) : undefined;
      const objects =
        (tenant !== undefined ? input.folders.find((f) => f.cluster === cluster && f.tenant === tenant)?.objects : undefined) ?? [];
      const created = createdNamespace(app);
      parts.push({
        name: nameOf(app),
        kind: tenant === "platform" ? "platform" : "tenant",
        wave,
        app,
        provides: renderedProvides(objects as Obj[]),
        objects,
        ...(created ? { createdNamespace: created } : {}),
      });
    }
    parts.sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
    return { cluster, spec, parts };
  });
}

/** The root's own waves on the Argo CD cluster: the AppProjects and the literal Applications (Argo CD's configuration). */
export function managementPlan(apps: readonly Obj[]): { wave: number; names: string[] }[] {
  const own = apps.filter((o) => !isRoot(o) && (kindOf(o) === "AppProject" || kindOf(o) === "Application"));
  const waves = [...new Set(own.map(waveOf))].sort((a, b) => a - b);
  return waves.map((wave) => ({ wave, names: own.filter((o) => waveOf(o) === wave).map((o) => `${kindOf(o)}/${nameOf(o)}`) }));
}

/** Parts that finish strictly before `wave` (the root waits for every earlier wave to be Healthy). */
export function before(plan: ClusterPlan, wave: number): Part[] {
  // Rules ask per object; a cluster has few waves, so each answer is computed once per plan.
  const byWave = earlierParts(plan);
  let parts = byWave.get(wave);
  if (!parts) {
    parts = plan.parts.filter((p) => p.wave < wave);
    byWave.set(wave, parts);
  }
  return parts;
}

const earlierParts = memoByIdentity((_: ClusterPlan) => new Map<number, Part[]>());

/** The labels of a namespace as the cluster will have them: from a rendered Namespace, or Argo CD's managedNamespaceMetadata. */
export function namespaceLabels(plan: ClusterPlan, namespace: string): Record<string, string> {
  return namespaceLabelIndex(plan).get(namespace) ?? {};
}

/** Every namespace's labels, the first source in part order winning (as a scan of the parts would find). */
const namespaceLabelIndex = memoByIdentity((plan: ClusterPlan): Map<string, Record<string, string>> => {
  const index = new Map<string, Record<string, string>>();
  for (const p of plan.parts) {
    for (const o of p.objects)
      if (kindOf(o as Obj) === "Namespace" && !index.has(nameOf(o as Obj))) index.set(nameOf(o as Obj), labelsOf(o as Obj));
    if (p.createdNamespace && !index.has(p.createdNamespace.name)) index.set(p.createdNamespace.name, p.createdNamespace.labels);
  }
  return index;
});

/** An object's namespace: its own, or (for add-on summaries) none; cluster-scoped kinds have none. */
export function objectNamespace(o: Obj): string | undefined {
  if (isClusterScoped({ group: groupOf(str(o.apiVersion) ?? ""), kind: kindOf(o) })) return undefined;
  return namespaceOf(o) || undefined;
}

/** Pod templates of the workload kinds: where sidecar injection and images apply. */
export function podTemplate(o: Obj): Obj | undefined {
  const spec = obj(o.spec);
  switch (kindOf(o)) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return obj(spec.template);
    case "CronJob":
      return obj(obj(obj(spec.jobTemplate).spec).template);
    case "Pod":
      return o;
    default:
      return undefined;
  }
}
