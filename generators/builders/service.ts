/** Services: one per app on every declared port, plus a headless one for StatefulSet peers. */
import { Service } from "kubernetes-models/v1/Service";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, headlessServiceName, selectorLabels, tenantNamespace } from "./labels.js";
import { isStatefulSet } from "./pod.js";
import { LABELS } from "../fleet/constants.js";

function servicePorts(app: AppSpec, ports: AppSpec["ports"] = app.ports): NonNullable<Service["spec"]>["ports"] {
  return ports.map((p) => ({
    name: p.name,
    port: p.servicePort ?? p.containerPort,
    targetPort: p.name,
    protocol: p.protocol ?? "TCP",
  }));
}

/** A load balancer carries every port but the metrics port, which stays inside the cluster. */
function loadBalancedPorts(app: AppSpec): AppSpec["ports"] {
  return app.ports.filter((p) => p.name !== app.monitoring?.port);
}

/** The Service ports of an app's load balancer; the admission policy admits exactly these. */
export function loadBalancerPorts(app: AppSpec): number[] {
  return loadBalancedPorts(app).map((p) => p.servicePort ?? p.containerPort);
}

export function wantsHeadless(app: AppSpec): boolean {
  return app.exposure?.headless ?? isStatefulSet(app);
}

export function buildServices(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  const labels = appLabels(tenant, app);
  const type = app.exposure?.serviceType ?? "ClusterIP";
  const balanced = type === "LoadBalancer";
  // Prometheus scrapes the app's Service, or for a load balancer a ClusterIP `<app>-metrics` beside it.
  if (app.monitoring && !balanced) labels[LABELS.metrics] = "true";
  const services: KubeObject[] = [
    new Service({
      metadata: {
        name: app.name,
        namespace: tenantNamespace(tenant),
        labels,
        // An internal NLB: nothing in this fleet is meant to be reachable from the internet without the ingress controller.
        ...(type === "LoadBalancer"
          ? {
              annotations: {
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
                "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
              },
            }
          : {}),
      },
      spec: { type, selector: selectorLabels(tenant, app), ports: servicePorts(app, balanced ? loadBalancedPorts(app) : app.ports) },
    }),
  ];
  const metricsPort = app.ports.filter((p) => p.name === app.monitoring?.port);
  if (balanced && metricsPort.length > 0) {
    services.push(
      new Service({
        metadata: {
          name: `${app.name}-metrics`,
          namespace: tenantNamespace(tenant),
          labels: { ...appLabels(tenant, app), [LABELS.metrics]: "true" },
        },
        spec: { type: "ClusterIP", selector: selectorLabels(tenant, app), ports: servicePorts(app, metricsPort) },
      }),
    );
  }
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
