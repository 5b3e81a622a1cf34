/**
 * What each Application's health waits for from other Applications: the Secrets, stores,
 * issuers and TriggerAuthentications its resources reference that an earlier wave makes,
 * and the custom metrics its HPAs read from an adapter. `--plan` prints them beside
 * "Healthy", so the plan says what each wave waits for.
 */
import { kindOf, namespaceOf, obj, objs, str, type Obj } from "../policy/util.js";
import { podTemplate, type ClusterPlan, type Part } from "../bootstrap/plan.js";
import { podReferences } from "./model.js";
import { ordersOf } from "./shim.js";
import { producers, type ProducedKind } from "./producers.js";

interface Ref {
  kind: ProducedKind;
  namespace: string | undefined;
  name: string;
}

function references(o: Obj): Ref[] {
  const out: Ref[] = [];
  const t = podTemplate(o);
  if (t) out.push(...podReferences(t, namespaceOf(o), ""));
  const spec = obj(o.spec);
  if (kindOf(o) === "ExternalSecret") {
    const ref = obj(spec.secretStoreRef);
    const cluster = str(ref.kind) === "ClusterSecretStore";
    out.push({
      kind: cluster ? "ClusterSecretStore" : "SecretStore",
      namespace: cluster ? undefined : namespaceOf(o),
      name: str(ref.name) ?? "",
    });
  }
  if (kindOf(o) === "ScaledObject" || kindOf(o) === "ScaledJob")
    for (const tr of objs(spec.triggers)) {
      const ref = obj(tr.authenticationRef);
      const name = str(ref.name);
      const cluster = str(ref.kind) === "ClusterTriggerAuthentication";
      if (name !== undefined)
        out.push({
          kind: cluster ? "ClusterTriggerAuthentication" : "TriggerAuthentication",
          namespace: cluster ? undefined : namespaceOf(o),
          name,
        });
    }
  for (const r of ordersOf(o)) {
    const cluster = r.issuerKind === "ClusterIssuer";
    out.push({ kind: cluster ? "ClusterIssuer" : "Issuer", namespace: cluster ? undefined : namespaceOf(o), name: r.issuer });
  }
  return out;
}

/** Per earlier part this one waits for, what it needs from it, e.g. `dev-usw2-platform: Secret monitoring/grafana-admin`. */
export function dependencies(plan: ClusterPlan, part: Part): { from: Part; what: string[] }[] {
  const found = new Map<Part, Set<string>>();
  const add = (from: Part, what: string): void => {
    if (from === part || from.kind === "eks") return;
    const set = found.get(from) ?? new Set<string>();
    set.add(what);
    found.set(from, set);
  };
  const refs: Ref[] = [
    ...(part.objects as Obj[]).flatMap(references),
    ...(part.model?.needsSecrets ?? []).map((s) => ({ kind: "Secret" as const, namespace: s.namespace, name: s.name })),
  ];
  for (const r of refs) {
    const ps = producers(plan, r.kind, r.namespace, r.name);
    if (ps.some((p) => p.part === part)) continue;
    const first = ps.find((p) => p.part.wave < part.wave);
    if (first) add(first.part, `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`);
  }
  for (const o of part.objects as Obj[]) {
    if (kindOf(o) !== "HorizontalPodAutoscaler") continue;
    for (const m of objs(obj(o.spec).metrics)) {
      if (str(m.type) !== "Pods") continue;
      const name = str(obj(obj(m.pods).metric).name) ?? "";
      const adapter = plan.parts.find(
        (p) => p.wave < part.wave && (p.provides.podMetrics ?? []).some((s) => s.name === name && s.workloadPods),
      );
      if (adapter) add(adapter, `metric ${name}`);
    }
  }
  return [...found].map(([from, what]) => ({ from, what: [...what].sort() }));
}

/**
 * The other clusters an Application waits for: ExternalSecrets reading what a PushSecret there
 * publishes (annotation `ai-platform.io/published-by`, builders/certificates.ts). Until that
 * cluster has issued and pushed it, the ExternalSecret finds no key and is Degraded (argo-cd
 * resource_customizations/external-secrets.io/ExternalSecret/health.lua).
 */
export function publishers(part: Part): { cluster: string; what: string[] }[] {
  const found = new Map<string, Set<string>>();
  for (const o of part.objects as Obj[]) {
    const by = str(obj(obj(o.metadata).annotations)["ai-platform.io/published-by"]);
    if (kindOf(o) !== "ExternalSecret" || by === undefined) continue;
    const [cluster = "", ...rest] = by.split("/");
    const set = found.get(cluster) ?? new Set<string>();
    set.add(`${rest[1] ?? ""} ${rest[0] ?? ""}/${rest[2] ?? ""}`);
    found.set(cluster, set);
  }
  return [...found].map(([cluster, what]) => ({ cluster, what: [...what].sort() }));
}
