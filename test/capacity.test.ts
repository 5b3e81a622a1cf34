/**
 * The capacity model against component-helpers' own table (kubernetes/kubernetes
 * staging/src/k8s.io/component-helpers/resource/helpers_test.go TestPodResourceRequests):
 * sidecars add to the app containers, ordinary init containers only raise the peak with
 * the sidecars started before them, and a limit stands in for a missing request.
 */
import { describe, expect, it } from "vitest";
import { type ContainerShape, podAmounts } from "../generators/api/capacity.js";
import type { JobSpec, TenantSpec } from "../generators/api/tenant.js";
import { Collector } from "../generators/api/validate/collector.js";
import { checkQuotaFits } from "../generators/api/validate/quota.js";

const c = (cpu: string, memory?: string, restartPolicy?: string): ContainerShape => ({
  resources: { requests: { cpu, ...(memory ? { memory } : {}) } },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe("pod requests as the kubelet sums them", () => {
  it.each([
    { name: "app containers add up", pod: { containers: [c("1"), c("2")] }, cpu: 3 },
    { name: "an init container larger than the apps sets the peak", pod: { initContainers: [c("4")], containers: [c("1")] }, cpu: 4 },
    {
      name: "a restartable init container is a sidecar: it adds to the apps",
      pod: { initContainers: [c("1", undefined, "Always")], containers: [c("1")] },
      cpu: 2,
    },
    {
      // helpers_test.go: "restartable init container with ... regular init container" cases.
      name: "an init container after a sidecar runs beside it",
      pod: { initContainers: [c("1", undefined, "Always"), c("2")], containers: [c("1")] },
      cpu: 3,
    },
    {
      name: "an init container before a sidecar does not",
      pod: { initContainers: [c("2"), c("1", undefined, "Always")], containers: [c("1")] },
      cpu: 2,
    },
  ])("$name", ({ pod, cpu }) => {
    expect(podAmounts(pod, "requests").cpu).toBe(cpu);
  });

  it("counts an injected proxy like a sidecar started first", () => {
    expect(podAmounts({ initContainers: [c("2")], containers: [c("1")] }, "requests", { cpu: 0.5 }).cpu).toBe(2.5);
  });

  it("takes the limit for a missing request, and sums limits the same way", () => {
    const pod = { containers: [{ resources: { limits: { cpu: "2", memory: "1Gi" } } }, c("1", "512Mi")] };
    expect(podAmounts(pod, "requests")).toEqual({ cpu: 3, memory: 1.5 * 2 ** 30 });
    expect(podAmounts(pod, "limits")).toEqual({ cpu: 2, memory: 2 ** 30 });
  });
});

describe("the quota check sizes pods with the same model", () => {
  // One app of 1 CPU at 2 replicas, no mesh: exactly 2 CPU of requests.
  const tenant = (extra: Partial<TenantSpec>): TenantSpec => ({
    name: "cap",
    description: "capacity fixture",
    quota: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "8", memory: "16Gi" } },
    apps: [
      {
        name: "web",
        image: { repository: "registry.example.com/web", tag: "1.0.0" },
        ports: [{ name: "http", containerPort: 8080 }],
        resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } },
        scaling: { replicas: 2 },
      },
    ],
    ...extra,
  });
  const quotaProblems = (t: TenantSpec): string[] => {
    const c = new Collector("generators/tenants/cap.ts");
    checkQuotaFits(c, t);
    return c.problems.map((p) => `${p.field}: ${p.message}`);
  };

  it("passes pods that fit exactly", () => {
    expect(quotaProblems(tenant({}))).toEqual([]);
  });

  it("counts one running pod of each Job against requests.cpu", () => {
    const job: JobSpec = {
      name: "backup",
      steps: [{ name: "dump", image: { repository: "registry.example.com/tool", tag: "1.0.0" }, command: ["true"] }],
    };
    const problems = quotaProblems(tenant({ jobs: [job] }));
    expect(problems).toContain(
      "quota.prod.requests.cpu: smaller than the apps need at their maximum replicas (2.1, sidecars, init containers and one pod per Job included); raise it or lower the autoscaling maxima",
    );
  });

  it("counts an init container only where it is larger than the app container", () => {
    const t = tenant({});
    const big = { ...t.apps[0]!, resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "2Gi" } } };
    const small = quotaProblems({
      ...t,
      quota: { ...t.quota!, requests: { cpu: "150m", memory: "4Gi" } },
      apps: [{ ...big, initContainers: [{ name: "migrate", command: ["true"] }] }],
    });
    // Each pod peaks at its 100m init container, not at 50m + 100m: 2 x 100m = 200m > 150m.
    expect(small.some((p) => p.startsWith("quota.prod.requests.cpu:"))).toBe(true);
  });
});
