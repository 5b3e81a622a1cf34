/**
 * The ported health functions on the cases of their upstream tests: gitops-engine
 * pkg/health/testdata/*.yaml (expected verdicts in pkg/health/health_test.go) and argo-cd
 * resource_customizations/<group>/<kind>/testdata (expected verdicts in health_test.yaml). Each
 * case keeps only the spec and status fields the function reads, from the named file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { BUILTIN_GROUPS } from "../../generators/check/policy/api-versions.js";
import { REPO } from "../helpers/repo.js";
import {
  apiServiceHealth,
  daemonSetHealth,
  deploymentHealth,
  ingressHealth,
  jobHealth,
  podHealth,
  pvcHealth,
  replicaSetHealth,
  serviceHealth,
  statefulSetHealth,
} from "../../generators/check/health/builtin.js";
import {
  certificateHealth,
  cnpgClusterHealth,
  CRD_HEALTH,
  EXISTENCE_ONLY,
  gatewayHealth,
  httpRouteHealth,
  readyConditionHealth,
  scaledObjectHealth,
} from "../../generators/check/health/crd-health.js";

const cond = (type: string, status: string, extra: Record<string, unknown> = {}) => ({ type, status, ...extra });

describe("gitops-engine pkg/health built-in health", () => {
  it.each([
    [
      "deployment-progressing.yaml",
      {
        metadata: { generation: 4 },
        spec: { replicas: 3 },
        status: { observedGeneration: 4, replicas: 4, updatedReplicas: 1, availableReplicas: 3 },
      },
      "Progressing",
    ],
    [
      "deployment-degraded.yaml",
      {
        metadata: { generation: 4 },
        spec: { replicas: 3 },
        status: { observedGeneration: 4, conditions: [cond("Progressing", "False", { reason: "ProgressDeadlineExceeded" })] },
      },
      "Degraded",
    ],
    ["deployment-suspended.yaml", { metadata: { generation: 4 }, spec: { paused: true }, status: { observedGeneration: 4 } }, "Suspended"],
    [
      "(health_test.go TestDeploymentHealth healthy)",
      {
        metadata: { generation: 1 },
        spec: { replicas: 1 },
        status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      },
      "Healthy",
    ],
  ])("health_deployment.go: %s is %s", (_file, o, want) => expect(deploymentHealth(o).status).toBe(want));

  it.each([
    [
      "statefulset.yaml",
      {
        metadata: { generation: 1 },
        spec: { replicas: 1, updateStrategy: { type: "RollingUpdate" } },
        status: { observedGeneration: 1, readyReplicas: 1, currentRevision: "r1", updateRevision: "r1" },
      },
      "Healthy",
    ],
    [
      "statefulset-ondelete.yaml",
      {
        metadata: { generation: 2 },
        spec: { replicas: 1, updateStrategy: { type: "OnDelete" } },
        status: { observedGeneration: 2, readyReplicas: 1, currentRevision: "r1", updateRevision: "r2" },
      },
      "Healthy",
    ],
    ["(no observedGeneration yet)", { metadata: { generation: 1 }, spec: { replicas: 1 }, status: {} }, "Progressing"],
    [
      "(pods not ready)",
      { metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 1 } },
      "Progressing",
    ],
  ])("health_statefulset.go: %s is %s", (_file, o, want) => expect(statefulSetHealth(o).status).toBe(want));

  it.each([
    [
      "daemonset-ondelete.yaml",
      {
        metadata: { generation: 1 },
        spec: { updateStrategy: { type: "OnDelete" } },
        status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 0 },
      },
      "Healthy",
    ],
    [
      "(rolling, not all updated)",
      {
        metadata: { generation: 1 },
        spec: { updateStrategy: { type: "RollingUpdate" } },
        status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 },
      },
      "Progressing",
    ],
  ])("health_daemonset.go: %s is %s", (_file, o, want) => expect(daemonSetHealth(o).status).toBe(want));

  it("health_replicaset.go: ReplicaFailure True is Degraded, fewer available Progressing", () => {
    expect(
      replicaSetHealth({
        metadata: { generation: 1 },
        spec: { replicas: 2 },
        status: { observedGeneration: 1, conditions: [cond("ReplicaFailure", "True")] },
      }).status,
    ).toBe("Degraded");
    expect(
      replicaSetHealth({ metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, availableReplicas: 1 } })
        .status,
    ).toBe("Progressing");
  });

  it.each([
    ["svc-clusterip.yaml", { spec: { type: "ClusterIP" } }, "Healthy"],
    ["svc-loadbalancer-unassigned.yaml", { spec: { type: "LoadBalancer" }, status: { loadBalancer: {} } }, "Progressing"],
    [
      "svc-loadbalancer-nonemptylist.yaml",
      { spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [{ hostname: "x.elb.amazonaws.com" }] } } },
      "Healthy",
    ],
  ])("health_service.go: %s is %s", (_file, o, want) => expect(serviceHealth(o).status).toBe(want));

  it.each([
    ["ingress-unassigned.yaml", { status: { loadBalancer: {} } }, "Progressing"],
    ["ingress-nonemptylist.yaml", { status: { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } } }, "Healthy"],
  ])("health_ingress.go: %s is %s", (_file, o, want) => expect(ingressHealth(o).status).toBe(want));

  it.each([
    ["pvc-bound.yaml", "Bound", "Healthy"],
    ["pvc-pending.yaml", "Pending", "Progressing"],
    ["(Lost)", "Lost", "Degraded"],
  ])("health_pvc.go: %s is %s", (_file, phase, want) => expect(pvcHealth({ status: { phase } }).status).toBe(want));

  it.each([
    ["job-running.yaml", { status: { active: 1 } }, "Progressing"],
    ["job-failed.yaml", { status: { conditions: [cond("Failed", "True", { message: "BackoffLimitExceeded" })] } }, "Degraded"],
    ["job-succeeded.yaml", { status: { conditions: [cond("Complete", "True")] } }, "Healthy"],
    ["job-suspended.yaml", { status: { conditions: [cond("Suspended", "True")] } }, "Suspended"],
  ])("health_job.go: %s is %s", (_file, o, want) => expect(jobHealth(o).status).toBe(want));

  it.each([
    ["pod-pending.yaml", { spec: {}, status: { phase: "Pending" } }, "Progressing"],
    ["pod-running-not-ready.yaml", { spec: {}, status: { phase: "Running", conditions: [cond("Ready", "False")] } }, "Progressing"],
    [
      "pod-crashloop.yaml",
      { spec: {}, status: { phase: "Running", containerStatuses: [{ state: { waiting: { reason: "CrashLoopBackOff" } } }] } },
      "Degraded",
    ],
    [
      "pod-imagepullbackoff.yaml",
      { spec: {}, status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ImagePullBackOff" } } }] } },
      "Degraded",
    ],
    ["pod-error.yaml", { spec: { restartPolicy: "Never" }, status: { phase: "Failed" } }, "Degraded"],
    ["pod-running-restart-always.yaml", { spec: {}, status: { phase: "Running", conditions: [cond("Ready", "True")] } }, "Healthy"],
    ["pod-running-restart-never.yaml", { spec: { restartPolicy: "Never" }, status: { phase: "Running" } }, "Progressing"],
    ["pod-succeeded.yaml", { spec: { restartPolicy: "Never" }, status: { phase: "Succeeded" } }, "Healthy"],
    [
      "(CreateContainerConfigError: a missing Secret)",
      { spec: {}, status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "CreateContainerConfigError" } } }] } },
      "Degraded",
    ],
  ])("health_pod.go: %s is %s", (_file, o, want) => expect(podHealth(o).status).toBe(want));

  it.each([
    ["apiservice-v1-true.yaml", "True", "Healthy"],
    ["apiservice-v1-false.yaml", "False", "Progressing"],
  ])("health_apiservice.go: %s is %s", (_file, s, want) =>
    expect(
      apiServiceHealth({ status: { conditions: [cond("Available", s, { reason: "Passed", message: "all checks passed" })] } }).status,
    ).toBe(want),
  );
});

describe("argo-cd resource_customizations health", () => {
  it.each([
    ["progressing_noStatus.yaml", {}, "Progressing"],
    ["progressing_issuing.yaml", { status: { conditions: [cond("Ready", "False"), cond("Issuing", "True")] } }, "Progressing"],
    ["degraded_configError.yaml", { status: { conditions: [cond("Ready", "False", { reason: "ConfigError" })] } }, "Degraded"],
    ["healthy_issued.yaml", { status: { conditions: [cond("Ready", "True")] } }, "Healthy"],
  ])("cert-manager.io/Certificate %s is %s", (_file, o, want) => expect(certificateHealth(o).status).toBe(want));

  it.each([
    ["cert-manager.io/ClusterIssuer progressing_noStatus.yaml", {}, "Progressing"],
    ["cert-manager.io/ClusterIssuer healthy_registered.yaml", { status: { conditions: [cond("Ready", "True")] } }, "Healthy"],
    ["cert-manager.io/ClusterIssuer degraded_acmeFailed.yaml", { status: { conditions: [cond("Ready", "False")] } }, "Degraded"],
    ["external-secrets.io/ExternalSecret progressing.yaml", { status: { conditions: [] } }, "Progressing"],
    [
      "external-secrets.io/ExternalSecret degraded.yaml",
      { status: { conditions: [cond("Ready", "False", { reason: "SecretSyncedError" })] } },
      "Degraded",
    ],
    ["external-secrets.io/PushSecret healthy.yaml", { status: { conditions: [cond("Ready", "True")] } }, "Healthy"],
    ["karpenter.sh/NodePool degraded.yaml", { status: { conditions: [cond("Ready", "False")] } }, "Degraded"],
    ["karpenter.k8s.aws/EC2NodeClass healthy.yaml", { status: { conditions: [cond("Ready", "True")] } }, "Healthy"],
  ])("%s is %s", (_file, o, want) => expect(readyConditionHealth(o, "waiting").status).toBe(want));

  it.each([
    ["keda-progressing.yaml", { status: {} }, "Progressing"],
    ["keda-degraded.yaml", { status: { conditions: [cond("Ready", "False")] } }, "Degraded"],
    ["keda-healthy.yaml", { status: { conditions: [cond("Ready", "True"), cond("Active", "True")] } }, "Healthy"],
    ["keda-suspended.yaml", { status: { conditions: [cond("Ready", "True"), cond("Paused", "True")] } }, "Suspended"],
    [
      "keda-fallback.yaml",
      { status: { conditions: [cond("Ready", "True"), cond("Active", "True"), cond("Fallback", "True"), cond("Paused", "False")] } },
      "Degraded",
    ],
  ])("keda.sh/ScaledObject %s is %s", (_file, o, want) => expect(scaledObjectHealth(o).status).toBe(want));

  it.each([
    [
      "healthy.yaml",
      {
        status: {
          conditions: [cond("Accepted", "True"), cond("Programmed", "True")],
          listeners: [{ conditions: [cond("ResolvedRefs", "True")] }],
        },
      },
      "Healthy",
    ],
    ["degraded_resolved_refs.yaml", { status: { conditions: [cond("ResolvedRefs", "False", { message: "bad ref" })] } }, "Degraded"],
    [
      "listener_degraded.yaml",
      {
        status: {
          conditions: [cond("Accepted", "True"), cond("Programmed", "True")],
          listeners: [{ conditions: [cond("ResolvedRefs", "False", { reason: "InvalidCertificateRef" })] }],
        },
      },
      "Degraded",
    ],
    ["progressing.yaml", { status: { conditions: [cond("Accepted", "True"), cond("Programmed", "Unknown")] } }, "Progressing"],
    ["(no status)", {}, "Progressing"],
  ])("gateway.networking.k8s.io/Gateway %s is %s", (_file, o, want) => expect(gatewayHealth(o).status).toBe(want));

  it.each([
    [
      "healthy.yaml",
      {
        metadata: { generation: 1 },
        status: { parents: [{ parentRef: { name: "edge" }, conditions: [cond("Accepted", "True", { observedGeneration: 1 })] }] },
      },
      "Healthy",
    ],
    [
      "degraded_accepted.yaml",
      {
        metadata: { generation: 1 },
        status: {
          parents: [
            {
              parentRef: { name: "edge" },
              conditions: [cond("Accepted", "False", { observedGeneration: 1, message: "NotAllowedByListeners" })],
            },
          ],
        },
      },
      "Degraded",
    ],
    [
      "healthy_multiple_generations.yaml (a stale parent is skipped)",
      {
        metadata: { generation: 2 },
        status: {
          parents: [
            { parentRef: { name: "old" }, conditions: [cond("Accepted", "False", { observedGeneration: 1 })] },
            { parentRef: { name: "edge" }, conditions: [cond("Accepted", "True", { observedGeneration: 2 })] },
          ],
        },
      },
      "Healthy",
    ],
    ["progressing.yaml", { metadata: { generation: 1 }, status: {} }, "Progressing"],
  ])("gateway.networking.k8s.io/HTTPRoute %s is %s", (_file, o, want) => expect(httpRouteHealth(o).status).toBe(want));

  it.each([
    ["healthy.yaml", { status: { conditions: [cond("Ready", "True")], phase: "Cluster in healthy state" } }, "Healthy"],
    ["progressing.yaml", { status: { conditions: [], phase: "Setting up primary" } }, "Progressing"],
    ["degraded.yaml", { status: { conditions: [], phase: "Failing over" } }, "Degraded"],
    ["hibernated.yaml", { status: { conditions: [cond("cnpg.io/hibernation", "True")], phase: "Cluster in healthy state" } }, "Suspended"],
    ["(reconciliation disabled)", { metadata: { annotations: { "cnpg.io/reconciliationLoop": "disabled" } } }, "Suspended"],
    ["(no status yet)", {}, "Progressing"],
  ])("postgresql.cnpg.io/Cluster %s is %s", (_file, o, want) => expect(cnpgClusterHealth(o).status).toBe(want));

  it("every CRD kind the committed tree emits has a port or is explicitly Healthy on existence, never both", () => {
    const emitted = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith(".yaml") && e.name !== "kustomization.yaml")
          for (const d of parseAllDocuments(readFileSync(path, "utf8"))) {
            const o = d.toJS() as { apiVersion?: string; kind?: string } | null;
            const group = o?.apiVersion?.includes("/") ? o.apiVersion.split("/")[0]! : "";
            if (o?.kind && group !== "" && !BUILTIN_GROUPS.includes(group)) emitted.add(`${group}/${o.kind}`);
          }
      }
    };
    for (const root of ["base", "overlays", "clusters"]) walk(join(REPO, root));
    expect(emitted.size).toBeGreaterThan(15);
    const neither = [...emitted].filter((k) => !(k in CRD_HEALTH) && !EXISTENCE_ONLY.includes(k));
    const both = [...emitted].filter((k) => k in CRD_HEALTH && EXISTENCE_ONLY.includes(k));
    expect({ neither, both }).toEqual({ neither: [], both: [] });
  });
});

describe("the simulation's verdict for a workload whose pods wait for a missing Secret, from the ports", () => {
  it("a Deployment or StatefulSet is Progressing (pods never available), a bare Pod Degraded (CreateContainerConfigError)", async () => {
    const { stuckWorkloadHealth } = await import("../../generators/check/health/model.js");
    const template = { spec: { containers: [{ name: "c" }] } };
    expect(stuckWorkloadHealth({ kind: "Deployment", spec: { replicas: 2, template } })).toBe("Progressing");
    expect(stuckWorkloadHealth({ kind: "StatefulSet", spec: { replicas: 1, template } })).toBe("Progressing");
    expect(stuckWorkloadHealth({ kind: "Pod", spec: template.spec })).toBe("Degraded");
  });
});
