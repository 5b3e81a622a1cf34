/**
 * The hand-written CloudNativePG models (generators/addons/models/cnpg/) validate with a schema
 * compiled on first use: the first validation compiles it, every later one reuses it, and each
 * reports its own errors, never a previous object's.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../../generators/addons/models/cnpg/Cluster.js";
import type { ModelData } from "@kubernetes-models/base";

const cluster = (spec: Record<string, unknown>): Cluster =>
  new Cluster({ metadata: { name: "db", namespace: "t" }, spec } as unknown as ModelData<Cluster>);

describe("the CloudNativePG Cluster model", () => {
  it("refuses what the CRD refuses and accepts what it accepts, in any order, each with its own errors", () => {
    expect(() => cluster({ instances: 0 }).validate()).toThrow(/instances.*must be >= 1/);
    expect(() => cluster({ instances: 3 }).validate()).not.toThrow();
    expect(() => cluster({}).validate()).toThrow(/spec must have required property/);
    expect(() => cluster({ instances: "three" }).validate()).toThrow(/instances.*must be integer/);
    expect(() => cluster({ instances: 2, logLevel: "loud" }).validate()).toThrow(/logLevel.*must be equal to one of the allowed values/);
    expect(() => cluster({ instances: 1 }).validate()).not.toThrow();
  });
});
