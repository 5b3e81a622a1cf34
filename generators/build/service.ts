/** Services: one per app on every declared port, plus a headless one for StatefulSet peers. */
import { Service } from "kubernetes-models/v1/Service";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, headlessServiceName, selectorLabels, tenantNamespace } from "./labels.js";
import { isStatefulSet } from "./pod.js";
import { LABELS } from "../fleet/constants.js";

function servicePorts(app: AppSpec): NonNullable<Service["spec"]>["ports"] {
  return app.ports.map((p) => ({
    name: p.name,
    port: p.servicePort ?? p.containerPort,
    targetPort: p.name,
    protocol: p.protocol ?? "TCP",
  }));
}

export function wantsHeadless(app: AppSpec): boolean {
  return app.exposure?.headless ?? isStatefulSet(app);
}

export function buildServices(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  const labels = appLabels(tenant, app);
  if (app.monitoring) labels[LABELS.metrics] = "true";
  const type = app.exposure?.serviceType ?? "ClusterIP";
  const services: KubeObject[] = [
    new Service({
      metadata: {
        name: app.name,
        namespace: tenantNamespace(tenant),
        labels,
        // An internal NLB: nothing in this fleet is meant to be reachable from the internet without the ingress controller.
        ...(type === "LoadBalancer"
          ? { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal", "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip" } }
          : {}),
      },
      spec: { type, selector: selectorLabels(tenant, app), ports: servicePorts(app) },
    }),
  ];
  if (wantsHeadless(app)) {
    services.push(
      new Service({
        metadata: { name: headlessServiceName(app), namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
        spec: {
          clusterIP: "None",
          // Peers must find each other before they are ready, or a cluster never forms.
          publishNotReadyAddresses: true,
          selector: selectorLabels(tenant, app),
          ports: servicePorts(app),
        },
      }),
    );
  }
  return services;
}
