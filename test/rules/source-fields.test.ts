/**
 * A generated object that fails its Kubernetes schema is reported against the tenant field
 * that built it, with a fix; the generated file and JSON-schema path only for --debug.
 */
import { describe, expect, it } from "vitest";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { TreeBuilder, type SchemaFailure } from "../../generators/layout/files.js";
import { schemaFailureProblems } from "../../generators/layout/source-fields.js";
import { formatProblem } from "../../generators/api/problem.js";
import type { TenantSpec } from "../../generators/api/tenant.js";

const TENANT = { name: "team", description: "", apps: [{ name: "web" }] } as unknown as TenantSpec;
const FILE = "generators/tenants/team.ts";

function hpa(averageUtilization: unknown): HorizontalPodAutoscaler {
  return new HorizontalPodAutoscaler({
    metadata: { name: "web", namespace: "team" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: averageUtilization as number } } },
      ],
    },
  });
}

describe("schema failures of emitted objects", () => {
  it("are handed to generate's observer, not thrown, and name the tenant field with a fix", () => {
    const failures: SchemaFailure[] = [];
    const b = new TreeBuilder((_p, _s, _o, f) => failures.push(...f));
    b.objects("overlays/dev/team/scaling.yaml", FILE, [hpa("70")]);
    expect(failures).toHaveLength(1);
    const problems = schemaFailureProblems(failures[0] as SchemaFailure, () => TENANT);
    expect(problems.map(formatProblem)).toEqual([
      `${FILE}: apps[web].scaling.autoscale.cpuUtilization: "70": the HorizontalPodAutoscaler built from it must be integer (Kubernetes' schema for HorizontalPodAutoscaler); write a whole number`,
    ]);
    const text = problems.map(formatProblem).join("\n");
    expect(text).not.toContain("overlays/");
    expect(text).not.toContain("/spec/metrics");
    expect(problems[0]?.debug).toContain("overlays/dev/team/scaling.yaml: HorizontalPodAutoscaler");
    expect(problems[0]?.debug).toContain("/spec/metrics/0/resource/target/averageUtilization");
  });

  it("still stop generation with the generated path when nothing observes them (a builder bug)", () => {
    const b = new TreeBuilder();
    expect(() => b.objects("overlays/dev/team/scaling.yaml", FILE, [hpa("70")])).toThrow(
      /scaling\.yaml: HorizontalPodAutoscaler.* fails its schema/,
    );
  });

  it("pass a valid object through unchanged", () => {
    const failures: SchemaFailure[] = [];
    const b = new TreeBuilder((_p, _s, _o, f) => failures.push(...f));
    b.objects("overlays/dev/team/scaling.yaml", FILE, [hpa(70)]);
    expect(failures).toEqual([]);
    expect(b.files.get("overlays/dev/team/scaling.yaml")).toContain("averageUtilization: 70");
  });
});
