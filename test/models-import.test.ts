/**
 * The model packages declare `engines.node >= 22` while this repository runs on Node 20.
 * Import every module the strict-schema registry uses, in isolation, to prove each one loads
 * here and exports a usable model class.
 */
import { describe, expect, it } from "vitest";
import { MODEL_MODULES, moduleUrl, registryEntries } from "../generators/check/schema/registry.js";

describe("model packages used by the strict-schema registry", () => {
  it.each(MODEL_MODULES.map((m) => [m]))("%s loads on this Node version and exports a model class with validate()", async (module) => {
    const mod: Record<string, unknown> = await import(moduleUrl(module));
    const name = module.slice(module.lastIndexOf("/") + 1).replace(/\.js$/, "");
    const model = mod[name];
    expect(typeof model).toBe("function");
    const ctor = model as { new (): { validate: unknown }; apiVersion: unknown; kind: unknown };
    expect(ctor.kind).toBe(name);
    expect(ctor.apiVersion).toBeTypeOf("string");
    expect(typeof new ctor().validate).toBe("function");
  });

  it("registers each apiVersion/kind only once", () => {
    const keys = registryEntries().map((e) => `${e.apiVersion}/${e.kind}`);
    expect(new Set(keys).size).toBe(MODEL_MODULES.length);
  });
});
