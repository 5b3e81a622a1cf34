/** The aws-load-balancer-controller add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { LABELS, WAVES } from "../../fleet/constants.js";
import type { AwsLoadBalancerControllerValues } from "../values.js";
import { type Addon, always, defineAddon, irsa } from "../addon.js";

export const awsLoadBalancerController: Addon = defineAddon<AwsLoadBalancerControllerValues>({
  name: "aws-load-balancer-controller",
  repoURL: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
  kubernetes: { source: "aws/eks-charts stable/aws-load-balancer-controller/Chart.yaml declares no kubeVersion" },
  releaseName: "aws-load-balancer-controller",
  namespace: "aws-load-balancer-controller",
  wave: WAVES.addonCluster,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    clusterName: ctx.cluster.name,
    region: ctx.cluster.region,
    vpcTags: { [LABELS.karpenterDiscovery]: ctx.cluster.name },
    replicaCount: 2,
    serviceAccount: { annotations: irsa(ctx.cluster, "aws-load-balancer-controller") },
    enableServiceMutatorWebhook: true,
  }),
  // eks-charts stable/aws-load-balancer-controller: values.yaml (serviceMutatorWebhookConfig.failurePolicy Fail), templates/webhook.yaml.
  model: (v) => ({
    provides: {
      crds: [{ group: "elbv2.k8s.aws", kinds: ["TargetGroupBinding", "IngressClassParams"] }],
      loadBalancers: [{ types: ["external", "nlb-ip"], classes: ["service.k8s.aws/nlb"] }],
      ingressClasses: [{ name: "alb", default: false }],
      webhooks: [
        ...(v.enableServiceMutatorWebhook !== false
          ? [
              {
                name: "aws-load-balancer-webhook",
                type: "mutating" as const,
                failurePolicy: "Fail" as const,
                rules: [{ group: "", kind: "Service" }],
                loadBalancerServicesOnly: true,
              },
            ]
          : []),
        {
          name: "aws-load-balancer-webhook",
          type: "validating",
          failurePolicy: "Fail",
          rules: [
            { group: "elbv2.k8s.aws", kind: "TargetGroupBinding" },
            { group: "networking.k8s.io", kind: "IngressClass" },
          ],
        },
      ],
    },
    objects: [],
  }),
});
