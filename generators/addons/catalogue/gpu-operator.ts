/** The gpu-operator add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { GPU_TAINT, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import { regionSpec } from "../../fleet/fleet.js";
import type { GpuOperatorValues } from "../values.js";
import { type Addon, defineAddon, monitors } from "../addon.js";

export const gpuOperator: Addon = defineAddon<GpuOperatorValues>({
  name: "gpu-operator",
  repoURL: "https://helm.ngc.nvidia.com/nvidia",
  chart: "gpu-operator",
  version: "v25.10.0",
  kubernetes: { min: "1.16", source: 'NVIDIA/gpu-operator deployments/gpu-operator/Chart.yaml kubeVersion ">= 1.16.0-0"' },
  releaseName: "gpu-operator",
  namespace: "gpu-operator",
  wave: WAVES.addons,
  serverSideApply: true,
  // Only where the region has a GPU pool: elsewhere no node could ever run its daemonsets.
  needs: (ctx) => regionSpec(ctx.fleet, ctx.cluster.region).gpuPool !== undefined,
  values: () => ({
    driver: { enabled: false },
    toolkit: { enabled: false },
    devicePlugin: { enabled: true },
    dcgmExporter: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
    daemonsets: { tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }] },
    nfd: { enabled: true },
  }),
  model: (v) => ({
    provides: {
      crds: [
        { group: "nvidia.com", kinds: ["ClusterPolicy", "NVIDIADriver"] },
        { group: "nfd.k8s-sigs.io", kinds: ["NodeFeature", "NodeFeatureGroup", "NodeFeatureRule"] },
      ],
    },
    objects: monitors(v.dcgmExporter?.serviceMonitor?.enabled, "nvidia-dcgm-exporter", "gpu-operator"),
  }),
});
