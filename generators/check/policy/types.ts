/** Shared types of the policy engine. */
import type { ClusterSpec, Fleet } from "../../fleet/fleet.js";

/** A rendered Kubernetes object, as parsed from YAML. */
export type K8sObject = Record<string, unknown>;

export type { Finding } from "../finding.js";

/** The objects of one tenant folder of one cluster. */
export interface PolicyFolder {
  cluster: string;
  tenant: string;
  objects: readonly K8sObject[];
  /** The folder's rendered YAML when known: a cheaper cache key than the objects. */
  yaml?: string;
}

export interface PolicyInput {
  fleet: Fleet;
  /** Rendered folders (RenderedFolder from generators/render/render.ts fits). */
  folders: readonly PolicyFolder[];
  /** Every object under apps/, parsed. */
  apps: readonly K8sObject[];
}

/** An object of a rendered cluster together with the tenant folder it came from. */
export interface Located {
  obj: K8sObject;
  tenant: string;
}

/** A whole rendered cluster: the union of its tenant folders. */
export interface ClusterContext {
  fleet: Fleet;
  name: string;
  /** The fleet model's spec of this cluster; undefined when the fleet does not know it. */
  spec: ClusterSpec | undefined;
  objects: readonly Located[];
  /** Every object under apps/ (AppProjects), for rules that judge a folder by its project. */
  apps?: readonly K8sObject[];
}

export interface AppsContext {
  fleet: Fleet;
  apps: readonly K8sObject[];
}

/** What a rule reports; the engine adds the rule id, and the cluster when the rule runs per cluster. */
export interface Hit {
  object: string;
  tenant: string;
  path: string;
  message: string;
  /** Overrides the rule's default fix. */
  fix?: string;
  /** Overrides the cluster (apps rules name the Application's destination cluster). */
  cluster?: string;
}

interface RuleBase {
  id: string;
  description: string;
  /** Default one-line fix. */
  fix: string;
}

/**
 * How far a cluster rule looks. "namespace": a hit on an object in namespace N depends
 * only on the objects of N and the cluster-scoped objects, and a hit on a cluster-scoped
 * object only on the cluster-scoped objects; the engine then runs the rule once per
 * namespace (linear in the cluster's size, and cacheable per folder). "cluster": the rule
 * reads across namespaces and gets the whole cluster at once.
 */
export type RuleLocality = "namespace" | "cluster";

/** A rule run once per rendered cluster (or per namespace of it, see RuleLocality). */
export interface ClusterRule extends RuleBase {
  scope: "cluster";
  /** @default "cluster" */
  locality?: RuleLocality;
  check(ctx: ClusterContext): Hit[];
}

/** A rule run once over the Argo CD objects in apps/ and the fleet model. */
export interface AppsRule extends RuleBase {
  scope: "apps";
  check(ctx: AppsContext): Hit[];
}

export type Rule = ClusterRule | AppsRule;
