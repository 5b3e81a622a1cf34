/** The ingress-nginx add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { ISTIO_INJECTION_LABEL, LABELS, PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { IngressNginxValues } from "../values.js";
import { deployment, loadBalancerService } from "../provides.js";
import { type Addon, NLB_ANNOTATIONS, always, defineAddon, monitors, replicas } from "../addon.js";

export const ingressNginx: Addon = defineAddon<IngressNginxValues>({
  name: "ingress-nginx",
  repoURL: "https://kubernetes.github.io/ingress-nginx",
  chart: "ingress-nginx",
  version: "4.14.0",
  kubernetes: { min: "1.21", source: 'kubernetes/ingress-nginx charts/ingress-nginx/Chart.yaml kubeVersion ">=1.21.0-0"' },
  releaseName: "ingress-nginx",
  namespace: PLATFORM.ingressNamespace,
  // Meshed: the controller gets a sidecar, hence a mesh identity STRICT tenants' AuthorizationPolicies can admit.
  namespaceLabels: { [ISTIO_INJECTION_LABEL]: "enabled" },
  wave: WAVES.addonEdge,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({
    controller: {
      replicaCount: replicas(ctx, 3, 2),
      ingressClassResource: { name: PLATFORM.ingressClass, default: true },
      ingressClass: PLATFORM.ingressClass,
      service: { annotations: { ...NLB_ANNOTATIONS } },
      metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
      config: { "use-proxy-protocol": "false", "enable-real-ip": "true" },
      // Istio's ingress-nginx integration: the sidecar handles only outbound calls (mTLS to the
      // upstream Service); traffic from the NLB reaches nginx directly.
      podAnnotations: {
        "traffic.sidecar.istio.io/includeInboundPorts": "",
        "traffic.sidecar.istio.io/excludeInboundPorts": "80,443,8443",
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
