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

/** A rule run once per rendered cluster. */
export interface ClusterRule extends RuleBase {
  scope: "cluster";
  check(ctx: ClusterContext): Hit[];
}

/** A rule run once over the Argo CD objects in apps/ and the fleet model. */
export interface AppsRule extends RuleBase {
  scope: "apps";
  check(ctx: AppsContext): Hit[];
}

export type Rule = ClusterRule | AppsRule;
