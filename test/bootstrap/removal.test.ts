/**
 * Deleting is safe by default: removing a tenant, a cluster or an add-on from the sources
 * deletes its Applications and nothing they synced, unless the typed opt-in says so.
 * Each case regenerates the tree in memory from changed sources and compares what Argo CD
 * would delete (generators/check/bootstrap/removal.ts).
 */
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { generateTree } from "../../generators/generate.js";
import { layoutTree, type Tree } from "../../generators/layout/tree.js";
import { DEFAULT_FLEET, type Fleet } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { buildAddonApplicationSet } from "../../generators/builders/addons.js";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { removalEffect } from "../../generators/check/bootstrap/removal.js";
import { runBootstrap } from "../../generators/check/bootstrap/index.js";
import type { Obj } from "../helpers/fleet.js";
import { loadPins } from "../../generators/api/pins.js";
import { REPO } from "../helpers/repo.js";

const PINS = loadPins(REPO);

function docs(tree: Tree, path: string): Obj[] {
  const text = tree.get(path);
  if (text === undefined) throw new Error(`no ${path} in the tree`);
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter((o) => o !== null);
}

/** What the root syncs and the platform's namespaces, from a generated tree. */
function view(tree: Tree): { apps: Obj[]; namespaces: Obj[] } {
  const apps = [...tree.keys()].filter((p) => p.startsWith("apps/") && !p.endsWith("kustomization.yaml")).flatMap((p) => docs(tree, p));
  return { apps, namespaces: docs(tree, "base/platform/namespaces.yaml") };
}

const committed = view(generateTree(DEFAULT_FLEET, TENANTS, PINS));

describe("removing something from the sources", () => {
  it("a tenant: its Applications go, its namespace (and every PVC in it) stays", () => {
    // layoutTree, not generateTree: the release pins still name uiota, which validation would reject.
    const without = view(
      layoutTree(
        DEFAULT_FLEET,
        TENANTS.filter((t) => t.spec.name !== "uiota"),
        PINS,
      ),
    );
    const effect = removalEffect(committed.apps, without.apps, committed.namespaces, without.namespaces);
    expect(effect.applications).toEqual(
      DEFAULT_FLEET.clusters.map((c) => ({ name: `${c.name}-uiota`, cascades: false })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(effect.pruned).toEqual([]);
    expect(effect.kept).toEqual(["Namespace/uiota"]);
  });

  it("a cluster: every Application aimed at it goes, and none takes its resources", () => {
    const fleet: Fleet = { ...DEFAULT_FLEET, clusters: DEFAULT_FLEET.clusters.filter((c) => c.name !== "prod-euw1") };
    const effect = removalEffect(committed.apps, view(generateTree(fleet, TENANTS, PINS)).apps);
    expect(effect.applications.length).toBe(ADDONS.length + 1 + TENANTS.length);
    expect(effect.applications.every((a) => a.name.startsWith("prod-euw1-"))).toBe(true);
    expect(effect.applications.filter((a) => a.cascades).map((a) => a.name)).toEqual([]);
  });

  it("an add-on: its Applications go and leave its CRDs and custom resources", () => {
    const without = committed.apps.filter((o) => !(o.kind === "ApplicationSet" && o.metadata.name === "addon-keda"));
    const effect = removalEffect(committed.apps, without);
    expect(effect.applications).toEqual(
      DEFAULT_FLEET.clusters.map((c) => ({ name: `${c.name}-keda`, cascades: false })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it("cascades only with the typed opt-in, which the bootstrap pass accepts as deliberate", () => {
    const keda = ADDONS.find((a) => a.name === "keda")!;
    const optedIn = buildAddonApplicationSet(DEFAULT_FLEET, { ...keda, onRemoval: "delete" })!.toJSON() as Obj;
    expect(optedIn.spec.template.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(optedIn.spec.syncPolicy.preserveResourcesOnDeletion).toBe(false);
    const before = committed.apps.map((o) => (o.kind === "ApplicationSet" && o.metadata.name === "addon-keda" ? optedIn : o));
    const effect = removalEffect(
      before,
      before.filter((o) => o !== optedIn),
    );
    expect(effect.applications.every((a) => a.cascades)).toBe(true);
    const findings = runBootstrap({ fleet: DEFAULT_FLEET, apps: before, folders: [], addons: ADDONS }, []).findings;
    expect(findings.filter((f) => f.rule.startsWith("argo-removal") || f.rule === "argo-finalizer-preserve")).toEqual([]);
  });
});
