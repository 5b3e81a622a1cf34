import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Renders the committed fleet once into the render cache; test files read it from there.
    globalSetup: ["test/helpers/global-render.ts"],
    // Renders call the real kustomize; a whole-fleet render takes seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores here: more workers only fight over kustomize processes.
    maxWorkers: 2,
  },
});
