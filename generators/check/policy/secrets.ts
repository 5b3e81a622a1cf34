/** Secrets: nothing secret in git; every ExternalSecret reads from a store in its cluster's region. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterRule, Finding, Hit, K8sObject, Located } from "./types.js";
import { containersOf, hitOn, kindOf, nameOf, namespaceOf, obj, objs, ofKind, podTemplates, str, strMap } from "./util.js";
// One answer to "is this a secret?", shared with the generator (generators/api/validate.ts).
import { credentialIn, secretLookingName } from "../../rules/secret-names.js";

export { CREDENTIAL_PATTERNS, credentialIn, secretLookingName } from "../../rules/secret-names.js";

/** Every secret store an ExternalSecret names: spec.secretStoreRef and data[]/dataFrom[] sourceRef.storeRef. */
function storeRefs(es: K8sObject): { kind: string; name: string; path: string }[] {
  const spec = obj(es.spec);
  const refs: { kind: string; name: string; path: string }[] = [];
  const add = (ref: unknown, path: string): void => {
    const r = obj(ref);
    refs.push({ kind: str(r.kind) ?? "SecretStore", name: str(r.name) ?? "", path });
  };
  if (spec.secretStoreRef !== undefined) add(spec.secretStoreRef, "spec.secretStoreRef");
  for (const field of ["data", "dataFrom"])
    objs(spec[field]).forEach((d, i) => {
      const sr = obj(d.sourceRef);
      if (sr.storeRef !== undefined) add(sr.storeRef, `spec.${field}[${i}].sourceRef.storeRef`);
    });
  return refs;
}

function findStore(objects: readonly Located[], es: K8sObject, kind: string, name: string): Located | undefined {
  return objects.find(
    (l) => kindOf(l.obj) === kind && nameOf(l.obj) === name && (kind === "ClusterSecretStore" || namespaceOf(l.obj) === namespaceOf(es)),
  );
}

export const SECRET_RULES: readonly ClusterRule[] = [
  {
    id: "secret-inline-data",
    scope: "cluster",
    description: "No Secret carries data or stringData in git.",
    fix: "Store the value in AWS Secrets Manager and create the Secret with an ExternalSecret.",
    check: (ctx) =>
      ofKind(ctx.objects, "Secret").flatMap((s) =>
        (["data", "stringData"] as const)
          .filter((f) => Object.keys(obj(s.obj[f])).length > 0)
          .map((f) => hitOn(s, f, `Secret ${nameOf(s.obj)} has ${f} in git`)),
      ),
  },
  {
    id: "secret-literal-env",
    scope: "cluster",
    description: "No literal env value whose name looks like a password, token, key or credential.",
    fix: "Read the value with valueFrom.secretKeyRef from an ExternalSecret-managed Secret.",
    check: (ctx) =>
      podTemplates(ctx.objects).flatMap((t) =>
        containersOf(t).flatMap(({ c, path }) =>
          objs(c.env).flatMap((e, i) => {
            const name = str(e.name) ?? "";
            const value = str(e.value);
            return value !== undefined && value !== "" && secretLookingName(name)
              ? [hitOn(t.loc, `${path}.env[${i}].value`, `env ${name} of container ${str(c.name)} has a literal value`)]
              : [];
          }),
        ),
      ),
  },
  {
    id: "secret-credential-pattern",
    scope: "cluster",
    description:
      "No credential-looking strings (PEM private keys, scheme://user:pass@ URLs, AWS access key ids, JWTs) in ConfigMaps, annotations or env values.",
    fix: "Remove the credential, rotate it, and deliver it through an ExternalSecret.",
    check: (ctx) => {
      const hits: Hit[] = [];
      for (const l of ctx.objects) {
        for (const [k, v] of Object.entries(strMap(obj(l.obj.metadata).annotations))) {
          const p = credentialIn(v);
          if (p) hits.push(hitOn(l, `metadata.annotations[${k}]`, `annotation ${k} contains a ${p}`));
        }
        if (kindOf(l.obj) === "ConfigMap")
          for (const f of ["data", "binaryData"])
            for (const [k, v] of Object.entries(strMap(l.obj[f]))) {
              const p = credentialIn(v);
              if (p) hits.push(hitOn(l, `${f}[${k}]`, `ConfigMap key ${k} contains a ${p}`));
            }
      }
      for (const t of podTemplates(ctx.objects))
        for (const { c, path } of containersOf(t))
          objs(c.env).forEach((e, i) => {
            const p = credentialIn(str(e.value) ?? "");
            if (p) hits.push(hitOn(t.loc, `${path}.env[${i}].value`, `env ${str(e.name)} of container ${str(c.name)} contains a ${p}`));
          });
      return hits;
    },
  },
  {
    id: "secret-store-exists",
    scope: "cluster",
    description:
      "Every ExternalSecret references (spec.secretStoreRef, and any data/dataFrom sourceRef.storeRef) a ClusterSecretStore, or a SecretStore in its namespace, that exists in the cluster.",
    fix: "Reference the platform ClusterSecretStore (kind: ClusterSecretStore) by its exact name.",
    check: (ctx) =>
      ofKind(ctx.objects, "ExternalSecret").flatMap((es) =>
        storeRefs(es.obj).flatMap(({ kind, name, path }) =>
          findStore(ctx.objects, es.obj, kind, name) ? [] : [hitOn(es, path, `${kind} ${name} does not exist in cluster ${ctx.name}`)],
        ),
      ),
  },
  {
    id: "secret-store-region",
    scope: "cluster",
    description: "Every secret store an ExternalSecret reads from is in the cluster's AWS region (spec.provider.aws.region).",
    fix: "Set the store's spec.provider.aws.region to the cluster's region.",
    check: (ctx) =>
      ofKind(ctx.objects, "ExternalSecret").flatMap((es) =>
        storeRefs(es.obj).flatMap(({ kind, name, path }) => {
          const store = findStore(ctx.objects, es.obj, kind, name);
          if (!store || !ctx.spec) return [];
          const region = str(obj(obj(obj(store.obj.spec).provider).aws).region);
          return region === ctx.spec.region
            ? []
            : [hitOn(es, path, `${kind} ${name} reads from region ${region ?? "(none)"}, cluster ${ctx.name} is in ${ctx.spec.region}`)];
        }),
      ),
  },
];

/** Files never scanned: binary blobs and the lockfile's hashes. */
const SKIP_FILE = /\.(png|jpe?g|gif|ico|pdf|zip|gz|tgz|woff2?)$/i;

/** Scans every git-tracked file of the repository for credential-looking strings. */
export function scanTrackedFiles(repo: string): Finding[] {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: repo, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter(Boolean);
  const findings: Finding[] = [];
  for (const file of files) {
    if (SKIP_FILE.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(join(repo, file), "utf8");
    } catch {
      continue; // deleted in the worktree, or not a regular file
    }
    if (text.includes("\0")) continue;
    text.split("\n").forEach((line, i) => {
      const p = credentialIn(line);
      if (p)
        findings.push({
          rule: "secret-tracked-file",
          cluster: "",
          tenant: "",
          object: file,
          path: `line ${i + 1}`,
          message: `${file}:${i + 1} contains a ${p}`,
          fix: "Remove the credential from git (and its history), rotate it, and deliver it through an ExternalSecret.",
        });
    });
  }
  return findings;
}
