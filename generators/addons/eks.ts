/**
 * What an EKS cluster provides before Argo CD installs anything: the API server's
 * built-in groups and namespaces, the in-tree cloud provider's load balancers, the
 * gp2 StorageClass EKS creates (not default since EKS 1.30), and the EKS managed
 * add-ons the fleet model lists (vpc-cni enforces NetworkPolicies only with
 * enableNetworkPolicy=true).
 *
 * Sources: https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
 * (gp2 is no longer annotated default on 1.30+), https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 * (enableNetworkPolicy), kubernetes/cloud-provider-aws (in-tree Service type LoadBalancer: CLB, or NLB with `aws-load-balancer-type: nlb`).
 */
import type { EksSpec } from "../fleet/fleet.js";
import type { PartModel } from "./provides.js";

/** API groups every Kubernetes API server serves without a CRD. */
export const BUILT_IN_GROUPS: readonly string[] = [
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "node.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "certificates.k8s.io",
];

/** Namespaces the API server creates. */
export const BUILT_IN_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** The EKS cluster itself: built-ins, the in-tree cloud provider, gp2, and the managed add-ons. */
export function eksModel(eks: EksSpec | undefined): PartModel {
  const vpcCni = eks?.managedAddons.find((a) => a.name === "vpc-cni");
  return {
    provides: {
      namespaces: BUILT_IN_NAMESPACES,
      // The in-tree provider: a Classic ELB without the annotation, an NLB with "nlb".
      loadBalancers: [{ types: ["", "nlb"], classes: [] }],
      storageClasses: [{ name: "gp2", provisioner: "kubernetes.io/aws-ebs", default: false }],
      networkPolicy: vpcCni?.configuration?.enableNetworkPolicy === "true",
      ...(eks?.managedAddons.some((a) => a.name === "coredns") ? { services: [{ name: "kube-dns", namespace: "kube-system" }] } : {}),
    },
    objects: [],
  };
}
