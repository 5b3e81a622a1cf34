/**
 * What exists on a cluster, and from which Application: Secrets (a Secret, an
 * ExternalSecret's target, a Certificate's secretName, an Ingress cert-manager's
 * ingress-shim issues), ConfigMaps, SecretStores, issuers and KEDA TriggerAuthentications,
 * each with the part (and so the wave) that makes it. The health model asks "made by whom,
 * at which wave" for every reference a resource needs to become Healthy.
 */
import { memoByIdentity } from "../memo.js";
import { arr, kindOf, nameOf, namespaceOf, obj, str, type Obj } from "../policy/util.js";
import type { ClusterPlan, Part } from "../bootstrap/plan.js";
import { ordersOf } from "./shim.js";

export type ProducedKind =
  | "Secret"
  | "ConfigMap"
  | "SecretStore"
  | "ClusterSecretStore"
  | "Issuer"
  | "ClusterIssuer"
  | "TriggerAuthentication"
  | "ClusterTriggerAuthentication";

export interface Producer {
  part: Part;
  /** The object that makes it, e.g. `ExternalSecret/monitoring/grafana-admin`. */
  by: string;
}

/** ConfigMaps every namespace has: kube-controller-manager's root CA publisher (kubernetes/kubernetes pkg/controller/certificates/rootcacertpublisher). */
const IMPLICIT_CONFIG_MAPS = ["kube-root-ca.crt"];

function key(kind: ProducedKind, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ""}/${name}`;
}

function produced(o: Obj): { kind: ProducedKind; namespace?: string; name: string }[] {
  const ns = namespaceOf(o);
  const spec = obj(o.spec);
  switch (kindOf(o)) {
    case "Secret":
    case "ConfigMap":
    case "SecretStore":
    case "Issuer":
    case "TriggerAuthentication":
      return [{ kind: kindOf(o) as ProducedKind, namespace: ns, name: nameOf(o) }];
    case "ClusterSecretStore":
    case "ClusterIssuer":
    case "ClusterTriggerAuthentication":
      return [{ kind: kindOf(o) as ProducedKind, name: nameOf(o) }];
    case "ExternalSecret": {
      // external-secrets apis/externalsecrets/v1 ExternalSecretTarget: name defaults to the ExternalSecret's.
      const target = obj(spec.target);
      if (str(target.creationPolicy) === "Merge" || str(target.creationPolicy) === "None") return [];
      return [{ kind: "Secret", namespace: ns, name: str(target.name) ?? nameOf(o) }];
    }
    case "Certificate":
    case "Ingress":
    case "Gateway":
      // What cert-manager issues, directly or through its shims (shim.ts).
      return ordersOf(o).flatMap((c) =>
        c.secretName !== undefined ? [{ kind: "Secret" as const, namespace: ns, name: c.secretName }] : [],
      );
    default:
      return [];
  }
}

/** Every produced thing of a plan, each with the parts that make it, in wave order. */
const index = memoByIdentity((plan: ClusterPlan): Map<string, Producer[]> => {
  const out = new Map<string, Producer[]>();
  const add = (k: string, p: Producer): void => {
    const list = out.get(k);
    if (list) list.push(p);
    else out.set(k, [p]);
  };
  for (const part of plan.parts) {
    for (const o of part.objects as Obj[])
      for (const x of produced(o))
        add(key(x.kind, x.namespace, x.name), { part, by: `${kindOf(o)}/${namespaceOf(o) ? `${namespaceOf(o)}/` : ""}${nameOf(o)}` });
    for (const s of part.model?.provides.secrets ?? [])
      add(key("Secret", s.namespace, s.name), { part, by: `Secret/${s.namespace}/${s.name} (chart)` });
    for (const i of part.model?.provides.issuers ?? [])
      add(key(i.kind, i.namespace, i.name), { part, by: `${i.kind}/${i.namespace ? `${i.namespace}/` : ""}${i.name} (chart)` });
  }
  return out;
});

/** Who makes `kind` `namespace/name` on the cluster (any wave). */
export function producers(plan: ClusterPlan, kind: ProducedKind, namespace: string | undefined, name: string): Producer[] {
  if (kind === "ConfigMap" && IMPLICIT_CONFIG_MAPS.includes(name)) return [{ part: plan.parts[0]!, by: "kube-controller-manager" }];
  return index(plan).get(key(kind, namespace, name)) ?? [];
}

/**
 * Whether `part` can have it: made by the part itself (Argo CD applies one Application's
 * resources together and its health waits for them) or by a part of a strictly earlier wave.
 */
export function available(plan: ClusterPlan, part: Part, kind: ProducedKind, namespace: string | undefined, name: string): boolean {
  return producers(plan, kind, namespace, name).some((p) => p.part === part || p.part.wave < part.wave);
}

/** "made by X (wave W)" or "nothing makes it", for a message. */
export function describeProducers(plan: ClusterPlan, kind: ProducedKind, namespace: string | undefined, name: string): string {
  const list = producers(plan, kind, namespace, name);
  return list.length === 0
    ? "nothing on the cluster makes it"
    : `only ${list.map((p) => `${p.by} in ${p.part.name} (wave ${p.part.wave})`).join(", ")} makes it, not before`;
}

/** Helper for reading `arr` of strings. */
export function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === "string");
}
