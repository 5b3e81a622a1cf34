/**
 * From a generated object back to the source that produced it: which tenant (or fleet)
 * field a path into an emitted object comes from. Generate uses it to report a model
 * schema failure (layout/files.ts) as `file: field: value: what is wrong; fix`, never as a
 * generated path and a JSON-schema path (those appear only with --debug).
 */
import type { SpecProblem } from "../api/problem.js";
import type { TenantSpec } from "../api/tenant.js";
import type { SchemaFailure } from "./files.js";

type O = Record<string, unknown>;

/** The value at a JSON pointer (ajv's instancePath) inside an object. */
function at(obj: unknown, pointer: string): unknown {
  let cur: unknown = obj;
  for (const part of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as O)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

/** The app or job of the tenant an object belongs to, by name (`<app>`, `<app>-headless`, `<app>-<volume>`, ...). */
function owner(tenant: TenantSpec | undefined, name: string): { kind: "app" | "job"; name: string } | undefined {
  if (!tenant) return undefined;
  const job = (tenant.jobs ?? []).find((j) => j.name === name);
  if (job) return { kind: "job", name: job.name };
  const apps = [...tenant.apps].sort((a, b) => b.name.length - a.name.length);
  const app = apps.find((a) => a.name === name) ?? apps.find((a) => name.startsWith(`${a.name}-`));
  return app ? { kind: "app", name: app.name } : undefined;
}

/** Object kind + path prefix -> the field of an app (relative to `apps[<name>]`) or job that sets it. */
const APP_FIELDS: readonly [kind: string, path: RegExp, field: (m: RegExpMatchArray, obj: unknown) => string][] = [
  ["HorizontalPodAutoscaler", /^\/spec\/(minReplicas)/, () => "scaling.autoscale.min"],
  ["HorizontalPodAutoscaler", /^\/spec\/(maxReplicas)/, () => "scaling.autoscale.max"],
  ["HorizontalPodAutoscaler", /^\/spec\/behavior\/scaleUp/, () => "scaling.autoscale.stabilization.up"],
  ["HorizontalPodAutoscaler", /^\/spec\/behavior\/scaleDown/, () => "scaling.autoscale.stabilization.down"],
  [
    "HorizontalPodAutoscaler",
    /^\/spec\/metrics\/(\d+)/,
    (m, obj) => {
      const metric = at(obj, `/spec/metrics/${m[1]}`) as O | undefined;
      const resource = (metric?.resource as O | undefined)?.name;
      if (resource === "cpu") return "scaling.autoscale.cpuUtilization";
      if (resource === "memory") return "scaling.autoscale.memoryUtilization";
      return "scaling.autoscale.podMetrics";
    },
  ],
  ["ScaledObject", /^\/spec\/triggers\/(\d+)/, (m) => `scaling.keda.triggers[${m[1]}]`],
  ["ScaledObject", /^\/spec\/(minReplicaCount|maxReplicaCount)/, (m) => `scaling.keda.${m[1] === "minReplicaCount" ? "min" : "max"}`],
  ["ScaledObject", /^\/spec\/(pollingInterval)/, () => "scaling.keda.pollingInterval"],
  ["ScaledObject", /^\/spec\/advanced/, () => "scaling.keda.stabilization"],
  ["*", /\/containers\/\d+\/resources/, () => "resources"],
  ["*", /\/containers\/\d+\/ports/, () => "ports"],
  ["*", /\/containers\/\d+\/env/, () => "env"],
  ["*", /\/containers\/\d+\/(readinessProbe|livenessProbe|startupProbe)/, (m) => `probes.${(m[1] ?? "").replace("Probe", "")}`],
  ["*", /\/initContainers/, () => "initContainers"],
  ["*", /\/volumes|\/volumeMounts|\/volumeClaimTemplates/, () => "storage"],
  ["*", /\/securityContext/, () => "securityContext"],
  ["*", /^\/spec\/strategy|^\/spec\/updateStrategy|^\/spec\/podManagementPolicy/, () => "rollout"],
  ["*", /^\/spec\/replicas/, () => "scaling.replicas"],
  ["Service", /^\/spec/, () => "ports"],
  ["Ingress", /^\/spec/, () => "exposure.ingress"],
  ["VirtualService", /^\/spec/, () => "traffic"],
  ["DestinationRule", /^\/spec/, () => "traffic"],
  ["ServiceMonitor", /^\/spec/, () => "monitoring"],
  ["PrometheusRule", /^\/spec/, () => "monitoring.alerts"],
  ["VerticalPodAutoscaler", /^\/spec/, () => "vpa"],
  ["NetworkPolicy", /^\/spec/, () => "network"],
  ["Role", /^\/rules/, () => "apiAccess.rules"],
  ["PodDisruptionBudget", /^\/spec/, () => "scaling"],
];

const JOB_FIELDS: readonly [path: RegExp, field: string][] = [
  [/^\/spec\/schedule/, "schedule"],
  [/backoffLimit/, "backoffLimit"],
  [/activeDeadlineSeconds/, "activeDeadlineSeconds"],
  [/\/(initContainers|containers)\//, "steps"],
  [/\/volumes/, "workSize"],
  [/\/securityContext/, "runAsUser"],
];

/** What ajv's message asks for, said as a fix. */
function fixFor(e: SchemaFailure["errors"][number]): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case "type":
      return p.type === "integer" ? "write a whole number" : `write a ${String(p.type)}`;
    case "enum":
      return `use one of ${JSON.stringify(p.allowedValues)}`;
    case "required":
      return `set ${String(p.missingProperty)}`;
    case "minimum":
    case "exclusiveMinimum":
      return `use a value ${e.message.replace(/^must be /, "")}`;
    case "maximum":
      return `use a value ${e.message.replace(/^must be /, "")}`;
    case "pattern":
    case "format":
      return "write it in the format the field takes (see its doc in generators/api/tenant.ts)";
    default:
      return "correct it (see its doc in generators/api/tenant.ts)";
  }
}

/** "spec.template.spec.containers[0].env[1].name" -> "/spec/template/spec/containers/0/env/1/name". */
export function pointerOf(dotted: string): string {
  if (dotted === "") return "";
  return `/${dotted
    .replace(/\[([^\]]*)\]/g, ".$1")
    .split(".")
    .filter((x) => x !== "")
    .join("/")}`;
}

/** The source field (`apps[x].resources`, `jobs[y].schedule`, ...) that sets the value at `pointer` of an emitted object. */
export function sourceField(obj: unknown, pointer: string, tenant: TenantSpec | undefined): string {
  const o = obj as { kind?: string; metadata?: { name?: string } };
  const kind = o.kind ?? "object";
  const name = o.metadata?.name ?? "";
  const who = owner(tenant, name);
  let field = who ? `${who.kind === "app" ? "apps" : "jobs"}[${who.name}]` : `(the ${kind} ${name})`;
  if (who?.kind === "app") {
    const hit = APP_FIELDS.find(([k, re]) => (k === kind || k === "*") && re.test(pointer));
    const m = hit ? pointer.match(hit[1]) : null;
    if (hit && m) field = `${field}.${hit[2](m, obj)}`;
  } else if (who?.kind === "job") {
    const hit = JOB_FIELDS.find(([re]) => re.test(pointer));
    if (hit) field = `${field}.${hit[1]}`;
  }
  return field;
}

/** The tenant or fleet field behind a schema failure, with the value and a fix; one problem per distinct error. */
export function schemaFailureProblems(f: SchemaFailure, tenantOf: (source: string) => TenantSpec | undefined): SpecProblem[] {
  const kind = (f.object as unknown as { kind?: string }).kind ?? "object";
  return f.errors.map((e) => {
    const value = at(f.object, e.instancePath);
    const field = sourceField(f.object, e.instancePath, tenantOf(f.source));
    return {
      file: f.source,
      field,
      value,
      message: `the ${kind} built from it ${e.message} (Kubernetes' schema for ${kind}); ${fixFor(e)}`,
      debug: `${f.raw} [at ${e.instancePath || "/"}]`,
    };
  });
}
