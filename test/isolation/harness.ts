/** The cluster as the escape suite sees it: its projects, admission policies, namespaces and IAM roles, from the committed tree. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_FLEET, type ClusterSpec } from "../../generators/fleet/fleet.js";
import { LABELS, PATHS, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { expandApplications, readAppsObjects } from "../../generators/check/policy/index.js";
import { POD_SECURITY_RULES } from "../../generators/check/policy/pod-security.js";
import { resourceViolation, type AppLike, type ManifestLike, type ProjectLike } from "../../generators/argo/project.js";
import { clusterAdmission, createRequest, denials, type ClusterAdmission } from "../../generators/check/admission/cluster.js";
import { GUARDRAILS, admissionPolicyName, type Guardrail } from "../../generators/fleet/constants.js";
import type { IamRoleDoc } from "../../generators/builders/iam.js";
import { renderedFleet } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";
import type { Mechanism, Obj } from "./attacks.js";

export interface ClusterView {
  cluster: ClusterSpec;
  admission: ClusterAdmission;
  /** Every rendered object of the cluster, by tenant folder. */
  folders: Map<string, Obj[]>;
  iam: IamRoleDoc[];
}

const apps = readAppsObjects(REPO);
const projects = new Map(
  apps.filter((o) => o.kind === "AppProject").map((p) => [(p.metadata as Obj).name as string, p as unknown as ProjectLike]),
);
const applications = expandApplications(apps).apps.map((g) => g.app as unknown as AppLike);

export async function clusterViews(): Promise<ClusterView[]> {
  const fleet = await renderedFleet();
  return DEFAULT_FLEET.clusters.map((cluster) => {
    const folders = new Map(fleet.filter((f) => f.cluster === cluster.name).map((f) => [f.tenant, f.objects as Obj[]]));
    const iam = (parse(readFileSync(join(REPO, PATHS.iam, `${cluster.name}.yaml`), "utf8")) as { roles: IamRoleDoc[] }).roles;
    return { cluster, admission: clusterAdmission(folders.get(PLATFORM_TENANT) ?? []), folders, iam };
  });
}

/** The Application Argo CD generates for a tenant on a cluster, and its project. */
export function applicationOf(cluster: string, tenant: string): { app: AppLike; project: ProjectLike } {
  const app = applications.find((a) => a.metadata.name === `${cluster}-${tenant}`);
  if (!app) throw new Error(`no Application ${cluster}-${tenant}`);
  const project = projects.get(app.spec.project);
  if (!project) throw new Error(`no AppProject ${app.spec.project}`);
  return { app, project };
}

/** Argo CD's verdict on syncing the object through the tenant's Application; undefined when admitted. */
export function projectRefusal(view: ClusterView, tenant: string, object: Obj): string | undefined {
  const { app, project } = applicationOf(view.cluster.name, tenant);
  return resourceViolation(project, app, object as ManifestLike);
}

/** The messages the guardrail's policy denies the object with, as created by Argo CD's controller. */
export function admissionDenials(view: ClusterView, object: Obj, g: Guardrail): string[] {
  return denials(view.admission, createRequest(view.admission, object), admissionPolicyName(g)).map((v) => v.message);
}

/** Pod Security: the object's namespace enforces `restricted`, and the restricted profile rejects the pod. */
export function podSecurityRefusal(view: ClusterView, object: Obj): string[] {
  const ns = view.admission.namespaces.get(object.metadata?.namespace) as Obj | undefined;
  if (ns?.metadata?.labels?.[LABELS.podSecurityEnforce] !== "restricted") return [];
  const ctx = { fleet: DEFAULT_FLEET, name: view.cluster.name, spec: view.cluster, objects: [{ obj: object, tenant: "attacker" }] };
  return POD_SECURITY_RULES.flatMap((r) => r.check(ctx).map((h) => `${r.id}: ${h.message}`));
}

/** Every mechanism that refuses the object, with its reason. */
export function blockers(view: ClusterView, tenant: string, object: Obj): Map<Mechanism, string> {
  const out = new Map<Mechanism, string>();
  const p = projectRefusal(view, tenant, object);
  if (p) out.set("project", p);
  for (const g of GUARDRAILS) {
    const d = admissionDenials(view, object, g);
    if (d.length > 0) out.set(`admission:${g}`, d.join("; "));
  }
  const ps = podSecurityRefusal(view, object);
  if (ps.length > 0) out.set("pod-security", ps.join("; "));
  return out;
}

/** IAM's wildcard match of a Resource pattern against an ARN (`*` any run, `?` one character). */
export function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(arn);
}
