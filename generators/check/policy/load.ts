/** Builds a PolicyInput from a repository checkout: renders every cluster folder and parses apps/. */
import { loadYamlObjects } from "../../argo/load.js";
import { PATHS } from "../../fleet/constants.js";
import type { Fleet } from "../../fleet/fleet.js";
import { renderFleet, type RenderOptions } from "../../render/render.js";
import type { K8sObject, PolicyInput } from "./types.js";

/** Every object in the YAML files under apps/ (kustomization.yaml files excluded), in path order. */
export function readAppsObjects(repo: string): K8sObject[] {
  return loadYamlObjects(repo, PATHS.apps);
}

/** Renders the repository's cluster folders with the real kustomize and reads apps/. */
export async function loadPolicyInput(repo: string, fleet: Fleet, options: RenderOptions = {}): Promise<PolicyInput> {
  return { fleet, folders: await renderFleet(repo, options), apps: readAppsObjects(repo) };
}
