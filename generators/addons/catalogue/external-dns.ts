/** The external-dns add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { BASE_DOMAIN, WAVES } from "../../fleet/constants.js";
import type { ExternalDnsValues } from "../values.js";
import { NO_MODEL } from "../provides.js";
import { type Addon, always, defineAddon, irsa } from "../addon.js";

export const externalDns: Addon = defineAddon<ExternalDnsValues>({
  name: "external-dns",
  repoURL: "https://kubernetes-sigs.github.io/external-dns",
  chart: "external-dns",
  version: "1.19.0",
  kubernetes: { source: "kubernetes-sigs/external-dns charts/external-dns/Chart.yaml declares no kubeVersion" },
  releaseName: "external-dns",
  namespace: "external-dns",
  wave: WAVES.addons,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({
    provider: { name: "aws" },
    env: [{ name: "AWS_DEFAULT_REGION", value: ctx.cluster.region }],
    // A cluster owns its own zone; prod clusters also publish the global latency records.
    domainFilters: ctx.production ? [`${ctx.cluster.name}.${BASE_DOMAIN}`, BASE_DOMAIN] : [`${ctx.cluster.name}.${BASE_DOMAIN}`],
    // Unique per cluster: every cluster only ever deletes the records it created.
    txtOwnerId: ctx.cluster.name,
    policy: ctx.production ? "upsert-only" : "sync",
    // The public edge's records come from the HTTPRoutes (external-dns docs/sources/gateway-api.md:
    // the route's hostnames, the Gateway's address); istio-gateway: the Istio Gateways' hosts too.
    sources: ["gateway-httproute", "service", "istio-gateway"],
    serviceAccount: { annotations: irsa(ctx.cluster, "external-dns") },
    extraArgs: ["--aws-zone-type=public", "--aws-prefer-cname"],
  }),
  model: () => NO_MODEL,
});
