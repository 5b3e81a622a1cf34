/** The istiod add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { ISTIO_INJECTION_LABEL, ISTIO_SYSTEM_NAMESPACE, LABELS, WAVES } from "../../fleet/constants.js";
import type { IstiodValues } from "../values.js";
import {
  type Addon,
  ISTIO_CHARTS,
  ISTIO_KUBERNETES,
  ISTIO_CRDS,
  ISTIO_VERSION,
  always,
  defineAddon,
  istioValidatorRewrite,
  replicas,
} from "../addon.js";

export const istiod: Addon = defineAddon<IstiodValues>({
  name: "istiod",
  repoURL: ISTIO_CHARTS,
  chart: "istiod",
  version: ISTIO_VERSION,
  kubernetes: ISTIO_KUBERNETES,
  releaseName: "istiod",
  namespace: ISTIO_SYSTEM_NAMESPACE,
  wave: WAVES.addons,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({
    global: {
      meshID: `mesh-${ctx.cluster.env}`,
      multiCluster: { clusterName: ctx.cluster.name },
      network: `${ctx.cluster.name}-network`,
    },
    meshConfig: { accessLogFile: ctx.production ? "" : "/dev/stdout", enableTracing: !ctx.production },
    // Injected pods in "restricted" namespaces cannot run istio-init (NET_ADMIN, NET_RAW): the CNI node agent redirects instead.
    pilot: { autoscaleMin: replicas(ctx, 2), autoscaleMax: replicas(ctx, 5, 2), cni: { enabled: true } },
  }),
  // istio manifests/charts/istio-control/istio-discovery: templates/mutatingwebhook.yaml (namespace and object selectors),
  // templates/validatingwebhookconfiguration.yaml (failurePolicy Ignore until istiod patches it to Fail, istio/istio#57643).
  model: (v) => ({
    provides: {
      sidecarInjection: { cni: v.pilot?.cni?.enabled === true },
      webhooks: [
        {
          name: "istio-sidecar-injector",
          type: "mutating",
          failurePolicy: "Fail",
          rules: [{ group: "", kind: "Pod" }],
          namespaceLabels: [{ [ISTIO_INJECTION_LABEL]: "enabled" }],
          podLabels: [{ [LABELS.istioInject]: "true" }],
        },
        {
          name: "istio-validator-istio-system",
          type: "validating",
          failurePolicy: "Fail",
          rules: ISTIO_CRDS.map((g) => ({ group: g.group, kind: "*" })),
        },
      ],
    },
    objects: [],
    requiresCrds: [
      { group: "networking.istio.io", kind: "VirtualService" },
      { group: "security.istio.io", kind: "PeerAuthentication" },
    ],
    rewrites: [istioValidatorRewrite("istio-validator-istio-system")],
  }),
});
