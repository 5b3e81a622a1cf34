/**
 * The Gateway API CRDs, standard channel, from the project's own repository: it ships no Helm
 * chart, so Argo CD syncs the release tag's kustomization (kubernetes-sigs/gateway-api
 * config/crd/kustomization.yaml at v1.4.1: the six standard-channel CRDs, annotated
 * `gateway.networking.k8s.io/channel: standard`). v1.4 is the release Istio 1.28 implements
 * (istio.io "Kubernetes Gateway API" support matrix). Cluster-wide and shared by every
 * implementation, so they are installed once, with the other CRDs, before anything uses them.
 */
import { GATEWAY_API_GROUP, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon } from "../addon.js";

export const gatewayApiCrds: Addon = defineAddon<Record<string, never>>({
  name: "gateway-api-crds",
  repoURL: "https://github.com/kubernetes-sigs/gateway-api",
  chart: "gateway-api",
  path: "config/crd",
  // renovate: datasource=github-tags depName=kubernetes-sigs/gateway-api
  version: "v1.4.1",
  // CRDs only (no controller), validated with CEL, which is GA since 1.29.
  kubernetes: {
    min: "1.30",
    source:
      "kubernetes-sigs/gateway-api site-src/concepts/versioning.md at v1.4.1: support for at least the 5 most recent minors (1.30–1.34 at its release); no upper bound",
  },
  releaseName: "gateway-api-crds",
  // CRDs are cluster-scoped; the destination namespace is only where Argo CD would put namespaced objects (none).
  namespace: "kube-system",
  wave: WAVES.addonCluster,
  // The HTTPRoute CRD alone is larger than client-side apply's 256 KiB last-applied annotation.
  serverSideApply: true,
  needs: always,
  values: () => ({}),
  model: () => ({
    provides: {
      crds: [
        { group: GATEWAY_API_GROUP, kinds: ["BackendTLSPolicy", "GRPCRoute", "Gateway", "GatewayClass", "HTTPRoute", "ReferenceGrant"] },
      ],
    },
    objects: [],
  }),
});
