/** The istio-cni add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { WAVES } from "../../fleet/constants.js";
import type { IstioCniValues } from "../values.js";
import { type Addon, ISTIO_CHARTS, ISTIO_KUBERNETES, ISTIO_VERSION, always, defineAddon } from "../addon.js";

export const istioCni: Addon = defineAddon<IstioCniValues>({
  name: "istio-cni",
  repoURL: ISTIO_CHARTS,
  chart: "cni",
  version: ISTIO_VERSION,
  kubernetes: ISTIO_KUBERNETES,
  releaseName: "istio-cni",
  // A node agent: kube-system, where node-critical DaemonSets live (Istio's sidecar-mode CNI install).
  namespace: "kube-system",
  wave: WAVES.addonCluster,
  serverSideApply: false,
  needs: always,
  values: () => ({ cni: { chained: true } }),
  model: () => ({ provides: { istioCni: true }, objects: [] }),
});
