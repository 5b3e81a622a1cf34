/** The ingress-nginx add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { ANNOTATIONS, ISTIO_INJECTION_LABEL, LABELS, PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { IngressNginxValues } from "../values.js";
import { deployment, loadBalancerService } from "../provides.js";
import { type Addon, NLB_ANNOTATIONS, defineAddon, monitors, replicas } from "../addon.js";

export const ingressNginx: Addon = defineAddon<IngressNginxValues>({
  name: "ingress-nginx",
  // Chart 4.14.5 ships controller v1.14.5, the last 1.14 release: fixes CVE-2026-24512 (v1.14.3),
  // CVE-2026-3288 (v1.14.4) and CVE-2026-4342 (v1.14.5). generators/addons/advisories.ts holds the table.
  repoURL: "https://kubernetes.github.io/ingress-nginx",
  chart: "ingress-nginx",
  version: "4.14.5",
  kubernetes: { min: "1.21", source: 'kubernetes/ingress-nginx charts/ingress-nginx/Chart.yaml kubeVersion ">=1.21.0-0"' },
  releaseName: "ingress-nginx",
  namespace: PLATFORM.ingressNamespace,
  // Meshed: the controller gets a sidecar, hence a mesh identity STRICT tenants' AuthorizationPolicies can admit.
  namespaceLabels: { [ISTIO_INJECTION_LABEL]: "enabled" },
  wave: WAVES.addonEdge,
  serverSideApply: false,
  // Retired upstream (March 2026): only environments still before the end of the edge cut-over run it
  // (docs/edge.md). "delete": once no environment needs it, removing its Applications removes the controller.
  onRemoval: "delete",
  needs: (ctx) => ctx.edge !== "gateway-api",
  values: (ctx) => ({
    controller: {
      replicaCount: replicas(ctx, 3, 2),
      ingressClassResource: { name: PLATFORM.ingressClass, default: true },
      ingressClass: PLATFORM.ingressClass,
      service: { annotations: { ...NLB_ANNOTATIONS } },
      metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
      config: {
        "use-proxy-protocol": "false",
        "enable-real-ip": "true",
        // Exact and Prefix paths may hold only `/`, letters, digits, `_`, `-` and `.`: anything else is refused by the
        // controller's admission webhook (ingress-nginx docs, user-guide/nginx-configuration/configmap.md#strict-validate-path-type).
        "strict-validate-path-type": "true",
        // Snippet annotations off (the controller's default since v1.9, stated so a values change is a visible diff).
        "allow-snippet-annotations": "false",
      },
      // Istio's ingress-nginx integration: the sidecar handles only outbound calls (mTLS to the
      // upstream Service); traffic from the NLB reaches nginx directly.
      podAnnotations: {
        [ANNOTATIONS.istioIncludeInboundPorts]: "",
        [ANNOTATIONS.istioExcludeInboundPorts]: "80,443,8443",
      },
      // The certgen Jobs must complete: no sidecar for them.
      admissionWebhooks: { patch: { labels: { [LABELS.istioInject]: "false" } } },
    },
  }),
  // kubernetes/ingress-nginx charts/ingress-nginx: controller-ingressclass.yaml, admission-webhooks/validating-webhook.yaml (failurePolicy Fail).
  model: (v) => {
    const ns = PLATFORM.ingressNamespace;
    const c = v.controller;
    return {
      provides: {
        ingressClasses: [
          { name: c?.ingressClassResource?.name ?? PLATFORM.ingressClass, default: c?.ingressClassResource?.default === true },
        ],
        // Meshed through its namespace's istio-injection label (namespaceLabels), which the bootstrap pass reads from the Application.
        webhooks: [
          {
            name: "ingress-nginx-admission",
            type: "validating",
            failurePolicy: "Fail",
            rules: [{ group: "networking.k8s.io", kind: "Ingress" }],
          },
        ],
      },
      objects: [
        loadBalancerService("ingress-nginx-controller", ns, c?.service?.annotations ?? {}),
        deployment("ingress-nginx-controller", ns),
        ...monitors(c?.metrics?.serviceMonitor?.enabled, "ingress-nginx-controller", ns),
      ],
    };
  },
});
