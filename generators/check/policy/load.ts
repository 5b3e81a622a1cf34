/** Builds a PolicyInput from a repository checkout: renders every cluster folder and parses apps/. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { PATHS } from "../../fleet/constants.js";
import type { Fleet } from "../../fleet/fleet.js";
import { renderFleet, type RenderOptions } from "../../render/render.js";
import type { K8sObject, PolicyInput } from "./types.js";

/** Every object in the YAML files under apps/ (kustomization.yaml files excluded), in path order. */
export function readAppsObjects(repo: string): K8sObject[] {
  const root = join(repo, PATHS.apps);
  let files: string[];
  try {
    files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(root, f), "utf8")).flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`${PATHS.apps}/${f}: invalid YAML: ${doc.errors[0]?.message}`);
      const v: unknown = doc.toJS();
      if (typeof v !== "object" || v === null || Array.isArray(v)) return [];
      const o = v as K8sObject;
      return o.kind === "Kustomization" ? [] : [o];
    }),
  );
}

/** Renders the repository's cluster folders with the real kustomize and reads apps/. */
export async function loadPolicyInput(repo: string, fleet: Fleet, options: RenderOptions = {}): Promise<PolicyInput> {
  return { fleet, folders: await renderFleet(repo, options), apps: readAppsObjects(repo) };
}
