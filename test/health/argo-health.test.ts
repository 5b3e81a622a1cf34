/**
 * The port of gitops-engine's HPA health (pkg/health/health_hpa.go), on the conditions of
 * its own testdata (pkg/health/testdata/hpa-v2-*.yaml, health_test.go), and the verdict the
 * simulation derives for an HPA whose Pods metric is not served.
 */
import { describe, expect, it } from "vitest";
import { hpaConditionsWithFailedMetric, hpaHealth, type Condition } from "../../generators/check/health/argo-health.js";

const scalingLimitedFalse: Condition = { type: "ScalingLimited", status: "False", reason: "DesiredWithinRange" };
const validMetric: Condition = { type: "ScalingActive", status: "True", reason: "ValidMetricFound" };

describe("gitops-engine HPA health", () => {
  it("hpa-v2-healthy.yaml: AbleToScale True (ReadyForNewScale) is Healthy", () => {
    expect(hpaHealth([{ type: "AbleToScale", status: "True", reason: "ReadyForNewScale" }, validMetric, scalingLimitedFalse]).status).toBe(
      "Healthy",
    );
  });

  it("hpa-v2-degraded.yaml: AbleToScale False (FailedGetScale) is Degraded", () => {
    expect(hpaHealth([{ type: "AbleToScale", status: "False", reason: "FailedGetScale" }, validMetric, scalingLimitedFalse]).status).toBe(
      "Degraded",
    );
  });

  it("hpa-v2-progressing.yaml: no AbleToScale and ScalingLimited False is Progressing", () => {
    expect(hpaHealth([validMetric, scalingLimitedFalse]).status).toBe("Progressing");
  });

  it("ScalingActive False with FailedGetResourceMetric is Degraded, with FailedGetPodsMetric it is not", () => {
    expect(hpaHealth([{ type: "ScalingActive", status: "False", reason: "FailedGetResourceMetric" }]).status).toBe("Degraded");
    expect(hpaHealth([{ type: "ScalingActive", status: "False", reason: "FailedGetPodsMetric" }]).status).toBe("Progressing");
  });

  it("an HPA whose Pods metric is not served is Healthy to Argo CD: AbleToScale True comes first", () => {
    expect(hpaHealth(hpaConditionsWithFailedMetric("Pods")).status).toBe("Healthy");
  });
});
