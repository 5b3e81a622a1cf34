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
    // The webhook certificate stays the chart's own (templates/_helpers.tpl webhookCerts); its
    // Secret and the webhooks' caBundle are ignored below, so the first render's pair stays.
    enableCertManager: false,
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
    renderRandom: v.enableCertManager === true ? [] : webhookCertPairs,
  }),
});

/**
 * Without cert-manager, the chart makes its webhook CA and serving certificate with genCA and
 * genSignedCert whenever `lookup` finds no Secret, which is always under `helm template`
 * (Argo CD's repo-server): every regeneration renders a new Secret and new caBundles
 * (aws/eks-charts stable/aws-load-balancer-controller templates/_helpers.tpl
 * "aws-load-balancer-controller.webhookCerts", templates/webhook.yaml). We keep the chart's
 * certificate and ignore both halves, so the pair applied on creation stays: cert-manager
 * instead would put cert-manager (and its issuance) ahead of this fail-closed Service
 * webhook, which every Service on the cluster waits for.
 */
const WEBHOOK_SECRET = "aws-load-balancer-tls";
const webhookCertPairs = (["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"] as const).map((kind) => ({
  group: "",
  kind: "Secret",
  name: WEBHOOK_SECRET,
  jqPathExpression: ".data",
  pairedWith: {
    group: "admissionregistration.k8s.io",
    kind,
    name: "aws-load-balancer-webhook",
    jqPathExpression: ".webhooks[]?.clientConfig.caBundle",
  },
  source: "aws/eks-charts stable/aws-load-balancer-controller templates/_helpers.tpl (genCA when lookup finds no Secret)",
}));
