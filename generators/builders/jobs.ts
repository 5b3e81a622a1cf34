/**
 * Tenant Jobs and CronJobs: health checks run after every Argo CD sync, backups on a
 * schedule. Same restricted pod security as app pods; steps run in order in one pod
 * and hand files over through /work. Each gets its own ServiceAccount (its mesh
 * identity) and a NetworkPolicy derived from the apps that admit it with `{ job }`.
 */
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import type { IJobSpec } from "kubernetes-models/batch/v1";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IContainer, IEnvVar, IPodTemplateSpec } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1";
import { ANNOTATIONS, JOB_STEP_RESOURCES } from "../fleet/constants.js";
import type { JobSpec, JobStepSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { jobSelectorLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";
import { containerResources, containerSecurity, DEFAULT_UID, imageRef } from "./pod.js";
import { DNS_EGRESS, openEgressAnnotation, ports } from "./network.js";
import { meshEgress, sidecarAnnotations } from "./istio.js";

const WORK_DIR = "/work";
const DEFAULT_STEP_RESOURCES = JOB_STEP_RESOURCES;

function jobLabels(tenant: TenantSpec, job: JobSpec): Record<string, string> {
  return { ...jobSelectorLabels(tenant, job.name), ...tenantLabels(tenant) };
}

function envVars(step: JobStepSpec): IEnvVar[] {
  return [
    ...Object.entries(step.env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(step.secretEnv ?? {}).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.property } },
    })),
  ];
}

function container(step: JobStepSpec): IContainer {
  const env = envVars(step);
  return {
    name: step.name,
    image: imageRef(step.image),
    imagePullPolicy: "IfNotPresent",
    command: [...step.command],
    ...(step.args ? { args: [...step.args] } : {}),
    ...(env.length > 0 ? { env } : {}),
    resources: containerResources(step.resources ?? DEFAULT_STEP_RESOURCES, 0),
    securityContext: containerSecurity(true),
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      { name: "work", mountPath: WORK_DIR },
    ],
  };
}

function podTemplate(tenant: TenantSpec, job: JobSpec): IPodTemplateSpec {
  const uid = job.runAsUser ?? DEFAULT_UID;
  const steps = job.steps.map(container);
  const main = steps.pop();
  if (!main) throw new Error(`internal: job ${job.name} has no steps`);
  return {
    metadata: {
      labels: jobLabels(tenant, job),
      // A classic sidecar never exits and would keep the Job running forever.
      ...(tenant.mesh ? { annotations: { ...sidecarAnnotations(tenant), [ANNOTATIONS.istioNativeSidecar]: "true" } } : {}),
    },
    spec: {
      serviceAccountName: job.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: "Never",
      securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } },
      ...(steps.length > 0 ? { initContainers: steps } : {}),
      containers: [main],
      volumes: [
        { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
        { name: "work", emptyDir: { sizeLimit: job.workSize ?? "10Gi" } },
      ],
    },
  };
}

function jobSpec(tenant: TenantSpec, job: JobSpec): IJobSpec {
  return {
    backoffLimit: job.backoffLimit ?? 2,
    activeDeadlineSeconds: job.activeDeadlineSeconds ?? 3600,
    ttlSecondsAfterFinished: 86400,
    template: podTemplate(tenant, job),
  };
}

/** Egress a job needs: DNS, the apps that admit it, the mesh control plane, declared external ports. */
function jobEgress(tenant: TenantSpec, job: JobSpec): INetworkPolicyEgressRule[] {
  const rules: INetworkPolicyEgressRule[] = [DNS_EGRESS];
  for (const app of tenant.apps) {
    for (const r of app.network?.ingress ?? []) {
      if (r.from.some((p) => p.job !== undefined && p.job === job.name))
        rules.push({ to: [{ podSelector: { matchLabels: selectorLabels(tenant, app) } }], ports: ports(app, r.ports) });
    }
  }
  rules.push(...meshEgress(tenant));
  // Validation admits only `range: "internet"` externals on Jobs, each with a reason and an expiry.
  const external = [...new Set((job.calls ?? []).map((c) => c.external.port))];
  if (external.length > 0)
    rules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: external.map((port) => ({ protocol: "TCP", port })) });
  return rules;
}

export function buildJobs(tenant: TenantSpec): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  return (tenant.jobs ?? []).flatMap((job): KubeObject[] => {
    const labels = jobLabels(tenant, job);
    const description: Record<string, string> = job.description ? { [ANNOTATIONS.description]: job.description } : {};
    const workload: KubeObject = job.schedule
      ? new CronJob({
          metadata: { name: job.name, namespace, labels, ...(job.description ? { annotations: description } : {}) },
          spec: {
            schedule: job.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 600,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: { metadata: { labels }, spec: jobSpec(tenant, job) },
          },
        })
      : new Job({
          metadata: {
            name: job.name,
            namespace,
            labels,
            // A Job's template is immutable: Argo CD recreates it as a hook after every sync.
            annotations: { ...description, [ANNOTATIONS.argoHook]: "PostSync", [ANNOTATIONS.argoHookDeletePolicy]: "BeforeHookCreation" },
          },
          spec: jobSpec(tenant, job),
        });
    return [
      new ServiceAccount({ metadata: { name: job.name, namespace, labels }, automountServiceAccountToken: false }),
      workload,
      new NetworkPolicy({
        metadata: { name: job.name, namespace, labels, ...openEgressAnnotation(job.calls ?? []) },
        spec: {
          podSelector: { matchLabels: jobSelectorLabels(tenant, job.name) },
          policyTypes: ["Ingress", "Egress"],
          egress: jobEgress(tenant, job),
        },
      }),
    ];
  });
}
