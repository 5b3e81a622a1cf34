/** The istio-ingressgateway add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { LABELS, MESH_DEFAULTS, WAVES } from "../../fleet/constants.js";
import type { IstioGatewayValues } from "../values.js";
import { deployment, loadBalancerService } from "../provides.js";
import { type Addon, ISTIO_CHARTS, ISTIO_KUBERNETES, ISTIO_VERSION, NLB_ANNOTATIONS, always, defineAddon, replicas } from "../addon.js";

export const istioIngressgateway: Addon = defineAddon<IstioGatewayValues>({
  name: "istio-ingressgateway",
  repoURL: ISTIO_CHARTS,
  chart: "gateway",
  version: ISTIO_VERSION,
  kubernetes: ISTIO_KUBERNETES,
  // The chart labels its pods `istio: <release name without "istio-">` and names the ServiceAccount after the release.
  releaseName: MESH_DEFAULTS.gatewayServiceAccount,
  namespace: MESH_DEFAULTS.gatewayNamespace,
  wave: WAVES.addonEdge,
  serverSideApply: false,
  // Every cluster runs mlcf, whose gateway routes (traffic.gateway) select this workload.
  needs: always,
  values: (ctx) => ({
    labels: { ...MESH_DEFAULTS.gatewaySelector },
    service: { type: "LoadBalancer", annotations: { ...NLB_ANNOTATIONS } },
    autoscaling: { minReplicas: replicas(ctx, 3, 1), maxReplicas: replicas(ctx, 10, 2) },
  }),
  // istio manifests/charts/gateway: the Deployment carries `sidecar.istio.io/inject: "true"` and the gateway injection template.
  model: (v) => {
    const ns = MESH_DEFAULTS.gatewayNamespace;
    const labels = { app: MESH_DEFAULTS.gatewayServiceAccount, istio: "ingressgateway", ...(v.labels ?? {}) };
    return {
      provides: {
        gatewayWorkloads: [{ namespace: ns, labels, serviceAccount: MESH_DEFAULTS.gatewayServiceAccount }],
        meshedNamespaces: [ns],
      },
      objects: [
        loadBalancerService(MESH_DEFAULTS.gatewayServiceAccount, ns, v.service?.annotations ?? {}),
        deployment(MESH_DEFAULTS.gatewayServiceAccount, ns, { ...labels, [LABELS.istioInject]: "true" }),
      ],
    };
  },
});
