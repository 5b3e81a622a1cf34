/** The istio-base add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { ISTIO_SYSTEM_NAMESPACE, WAVES } from "../../fleet/constants.js";
import type { IstioBaseValues } from "../values.js";
import {
  type Addon,
  ISTIO_CHARTS,
  ISTIO_KUBERNETES,
  ISTIO_CRDS,
  ISTIO_VERSION,
  always,
  defineAddon,
  istioValidatorRewrite,
} from "../addon.js";

export const istioBase: Addon = defineAddon<IstioBaseValues>({
  name: "istio-base",
  repoURL: ISTIO_CHARTS,
  chart: "base",
  version: ISTIO_VERSION,
  kubernetes: ISTIO_KUBERNETES,
  releaseName: "istio-base",
  namespace: ISTIO_SYSTEM_NAMESPACE,
  wave: WAVES.addonCluster,
  serverSideApply: true,
  needs: always,
  values: () => ({ defaultRevision: "default" }),
  // istio manifests/charts/base: the CRDs, and the default-revision validator istiod flips to Fail once ready.
  model: () => ({ provides: { crds: ISTIO_CRDS }, objects: [], rewrites: [istioValidatorRewrite("istiod-default-validator")] }),
});
