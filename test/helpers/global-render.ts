/**
 * Vitest global setup: renders the committed fleet once, with the real kustomize, into
 * the render cache before any test file runs. Every file's renderedFleet() then reads
 * the cache (keyed by each folder's transitive inputs and the kustomize version) instead
 * of running kustomize again: one shared render per suite.
 */
import { renderFleet } from "../../generators/render/render.js";
import { REPO } from "./repo.js";
import { TEST_RENDER_CACHE } from "./fleet.js";

export default async function setup(): Promise<void> {
  await renderFleet(REPO, { cache: { dir: TEST_RENDER_CACHE } });
}
