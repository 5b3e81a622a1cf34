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
    // Test files share a worker's module graph: the model packages, the TypeScript compiler
    // (strict-field graph) and the parsed rendered fleet load once per worker instead of once
    // per file, which was a fifth of the suite's time. Rendered objects are never mutated in
    // place (the check memoizes by identity and tests clone before planting a defect), and no
    // test mocks a module, so sharing changes no verdict.
    isolate: false,
  },
});
