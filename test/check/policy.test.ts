import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_URL } from "../../generators/fleet/constants.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { RULES, runPolicies, type PolicyException } from "../../generators/check/policy/index.js";
import { buildAdmissionPolicies } from "../../generators/builders/admission.js";
import { toPlain } from "../../generators/layout/yaml.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { ctr, DIGEST, fixture, get, gpuize, hpa, NS, pod, remove, toInput, web, type Fixture, type O } from "./policy-fixtures.js";

const TODAY = new Date("2026-11-22T12:00:00Z");

function ruleIds(f: Fixture): string[] {
  return [...new Set(runPolicies(toInput(f), [], TODAY).findings.map((x) => x.rule))].sort();
}

/** The platform's edge Gateway with one HTTPS listener for `hostname`, served by Secret `secret`. */
function edgeGateway(hostname: string, secret: string): O {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "edge", namespace: "platform" },
    spec: {
      gatewayClassName: "istio",
      listeners: [{ name: "team", port: 443, protocol: "HTTPS", hostname, tls: { certificateRefs: [{ name: secret }] } }],
    },
  };
}

/** A Gateway listener served by a certificate published by another cluster: an ExternalSecret carrying cert-manager's alt-names. */
function publishedListener(f: Fixture, altNames: string): void {
  f.objects.push(edgeGateway("*.team.ai.example.com", "team.edge-global-tls"));
  f.objects.push({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "team.edge-global-tls", namespace: "platform" },
    spec: {
      secretStoreRef: { kind: "SecretStore", name: "global-certificates" },
      target: {
        name: "team.edge-global-tls",
        template: { type: "kubernetes.io/tls", metadata: { annotations: { "cert-manager.io/alt-names": altNames } } },
      },
      data: [{ secretKey: "tls.crt", remoteRef: { key: "prod/platform/certificates/team-global-tls", property: "tls.crt" } }],
    },
  });
  f.objects.push({
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: { name: "global-certificates", namespace: "platform" },
    spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } } },
  });
}

interface Case {
  name: string;
  mutate: (f: Fixture) => void;
  expect: string[];
}

const otherNp = (sel: Record<string, string>): O => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "other", namespace: NS },
  spec: { podSelector: { matchLabels: sel } },
});
const appSet = (f: Fixture): O => get(f, "ApplicationSet", "team");
const project = (f: Fixture, name = "team"): O => get(f, "AppProject", name);
const flowSchema: O = { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kind: "FlowSchema", metadata: { name: "fs" }, spec: {} };
const virtualService = (host: string, dest: string): O => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "web", namespace: NS },
  spec: { hosts: [host], http: [{ route: [{ destination: { host: dest } }] }] },
});
// Credential-looking strings are assembled at run time so the tracked-file scan never sees them.
const CRED_URL = ["postgres", "://", "admin", ":", "hunter2", "@db.example.com/app"].join("");
const AWS_KEY = ["AK", "IA", "ABCDEFGHIJKLMNOP"].join("");
const JWT = ["ey", "JhbGciOiJIUzI1NiJ9.", "ey", "JzdWIiOiIxMjM0NTY3ODkwIn0.", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"].join("");
const PEM = ["-----BEGIN ", "RSA PRIVATE KEY", "-----\nMIIE...\n-----END ", "RSA PRIVATE KEY-----"].join("");

/** Each case mutates the compliant fixture; the exact set of rules that must fire. */
/** The fixture under the generated admission policies of its cluster, its namespace labelled as tenant `team`, its secret read through a SecretStore. */
function guarded(f: Fixture): void {
  const cluster = DEFAULT_FLEET.clusters.find((c) => c.name === f.cluster)!;
  const fleet = { ...DEFAULT_FLEET, imageRegistries: ["registry.example.com/"] };
  const team: TenantSpec = { name: "team", description: "fixture", apps: [] };
  f.objects.push(...buildAdmissionPolicies(fleet, cluster, [team]).map((o) => toPlain(o) as O));
  get(f, "Namespace", NS).metadata.labels = { "ai-platform.io/tenant": "team" };
  get(f, "Ingress", "web").spec.rules[0].host = `web.team.${cluster.name}.ai.example.com`;
  get(f, "ExternalSecret", "web-secret").spec.secretStoreRef = { kind: "SecretStore", name: "aws-secrets-manager" };
  f.objects.push({
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: { name: "aws-secrets-manager", namespace: NS },
    spec: { provider: { aws: { service: "SecretsManager", region: cluster.region } } },
  });
}
const rb = (role: string): O => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: { name: "x", namespace: NS },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
  subjects: [],
});

const FAILING: Case[] = [
  {
    name: "tenant folder holds a kind its project does not whitelist",
    mutate: (f) =>
      f.apps.push({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: "team-prod" },
        spec: {
          sourceRepos: [REPO_URL],
          destinations: [{ name: "prod-usw2", namespace: NS }],
          namespaceResourceBlacklist: [{ group: "networking.k8s.io", kind: "NetworkPolicy" }],
        },
      }),
    expect: ["isolation-project-kinds"],
  },
  {
    name: "HTTPRoute attached to a Gateway the cluster does not have, routing to a Service it does not have",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "x", namespace: "platform" },
        spec: {
          parentRefs: [{ name: "edge", namespace: "istio-ingress", sectionName: "team" }],
          hostnames: ["x.team.prod-usw2.ai.example.com"],
          rules: [{ backendRefs: [{ name: "no-such-service", port: 80 }] }],
        },
      }),
    expect: ["edge-route-attached", "edge-route-backends"],
  },
  {
    name: "Gateway listener whose certificate no Certificate issues",
    mutate: (f) => f.objects.push(edgeGateway("*.team.prod-usw2.ai.example.com", "missing")),
    expect: ["edge-listener-certificates"],
  },
  {
    name: "Gateway listener whose published certificate (an ExternalSecret) names other hosts",
    mutate: (f) => publishedListener(f, "*.other.ai.example.com"),
    expect: ["edge-listener-certificates"],
  },
  {
    name: "tenant namespace without the admission guardrails",
    mutate: (f) => (get(f, "Namespace", NS).metadata.labels = { "ai-platform.io/tenant": "team" }),
    expect: ["isolation-admission-present"],
  },
  {
    name: "Ingress for another tenant's host",
    mutate: (f) => {
      guarded(f);
      f.objects.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "x", namespace: NS },
        spec: { rules: [{ host: "api.other.prod-usw2.ai.example.com" }] },
      });
    },
    expect: ["isolation-hosts"],
  },
  {
    name: "Certificate for the whole zone",
    mutate: (f) => {
      guarded(f);
      f.objects.push({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "x", namespace: NS },
        spec: { secretName: "x", dnsNames: ["*.ai.example.com"], issuerRef: { kind: "ClusterIssuer", name: "letsencrypt-prod" } },
      });
    },
    expect: ["isolation-certificates"],
  },
  {
    name: "image outside the registry allow-list",
    mutate: (f) => {
      guarded(f);
      ctr(f).image = `quay.io/evil/web:1.2.3@${DIGEST}`;
    },
    expect: ["isolation-image-registries"],
  },
  {
    name: "RoleBinding to the admin ClusterRole",
    mutate: (f) => {
      guarded(f);
      f.objects.push(rb("admin"));
    },
    expect: ["isolation-role-bindings"],
  },
  {
    name: "undeclared NodePort Service",
    mutate: (f) => {
      guarded(f);
      get(f, "Service", "web").spec.type = "NodePort";
    },
    expect: ["isolation-service-exposure"],
  },
  {
    name: "ClusterIP Service with externalIPs (CVE-2020-8554)",
    mutate: (f) => {
      guarded(f);
      get(f, "Service", "web").spec.externalIPs = ["10.0.0.10"];
    },
    expect: ["isolation-service-exposure"],
  },
  {
    name: "TriggerAuthentication on the KEDA operator's own AWS role",
    mutate: (f) => {
      guarded(f);
      f.objects.push({
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: "x", namespace: NS },
        spec: { podIdentity: { provider: "aws" } },
      });
    },
    expect: ["isolation-keda-auth"],
  },
  {
    name: "pod at system-node-critical priority",
    mutate: (f) => {
      guarded(f);
      get(f, "Deployment", "web").spec.template.spec.priorityClassName = "system-node-critical";
    },
    expect: ["isolation-priority-classes"],
  },
  {
    name: "ExternalSecret key of another tenant",
    mutate: (f) => {
      guarded(f);
      get(f, "ExternalSecret", "web-secret").spec.data = [
        { secretKey: "password", remoteRef: { key: "prod/other/db", property: "password" } },
      ];
    },
    expect: ["isolation-external-secrets"],
  },
  // Pod security
  { name: "hostNetwork", mutate: (f) => (pod(f).hostNetwork = true), expect: ["pss-host-namespaces"] },
  { name: "hostPID", mutate: (f) => (pod(f).hostPID = true), expect: ["pss-host-namespaces"] },
  { name: "privileged container", mutate: (f) => (ctr(f).securityContext.privileged = true), expect: ["pss-privileged"] },
  {
    name: "privileged ephemeral container",
    mutate: (f) =>
      (pod(f).ephemeralContainers = [
        { name: "debug", image: "busybox:1.36", securityContext: { ...ctr(f).securityContext, privileged: true } },
      ]),
    expect: ["pss-privileged", "wl-image-digest"],
  },
  {
    name: "hostPath volume",
    mutate: (f) => pod(f).volumes.push({ name: "host", hostPath: { path: "/var/run" } }),
    expect: ["pss-host-path"],
  },
  { name: "hostPort", mutate: (f) => (ctr(f).ports[0].hostPort = 8080), expect: ["pss-host-port"] },
  {
    name: "nfs volume",
    mutate: (f) => pod(f).volumes.push({ name: "nfs", nfs: { server: "nfs", path: "/" } }),
    expect: ["pss-volume-types"],
  },
  {
    name: "allowPrivilegeEscalation unset",
    mutate: (f) => delete ctr(f).securityContext.allowPrivilegeEscalation,
    expect: ["pss-privilege-escalation"],
  },
  {
    name: "allowPrivilegeEscalation true",
    mutate: (f) => (ctr(f).securityContext.allowPrivilegeEscalation = true),
    expect: ["pss-privilege-escalation"],
  },
  { name: "runAsNonRoot unset", mutate: (f) => delete pod(f).securityContext.runAsNonRoot, expect: ["pss-run-as-non-root"] },
  {
    name: "container overrides runAsNonRoot false",
    mutate: (f) => (ctr(f).securityContext.runAsNonRoot = false),
    expect: ["pss-run-as-non-root"],
  },
  { name: "runAsUser 0 on container", mutate: (f) => (ctr(f).securityContext.runAsUser = 0), expect: ["pss-run-as-user"] },
  { name: "runAsUser 0 on pod", mutate: (f) => (pod(f).securityContext.runAsUser = 0), expect: ["pss-run-as-user"] },
  {
    name: "seccomp Unconfined",
    mutate: (f) => (pod(f).securityContext.seccompProfile.type = "Unconfined"),
    expect: ["pss-seccomp", "pss-seccomp-baseline"],
  },
  {
    name: "capability outside restricted but inside baseline",
    mutate: (f) => (ctr(f).securityContext.capabilities.add = ["CHOWN"]),
    expect: ["pss-capabilities"],
  },
  {
    name: "Windows HostProcess container",
    mutate: (f) => (ctr(f).securityContext.windowsOptions = { hostProcess: true }),
    expect: ["pss-host-process"],
  },
  {
    name: "AppArmor Unconfined",
    mutate: (f) => (pod(f).securityContext.appArmorProfile = { type: "Unconfined" }),
    expect: ["pss-apparmor"],
  },
  {
    name: "AppArmor unconfined through the beta annotation",
    mutate: (f) =>
      (get(f, "Deployment", "web").spec.template.metadata.annotations = {
        "container.apparmor.security.beta.kubernetes.io/web": "unconfined",
      }),
    expect: ["pss-apparmor"],
  },
  { name: "SELinux user set", mutate: (f) => (ctr(f).securityContext.seLinuxOptions = { user: "system_u" }), expect: ["pss-selinux"] },
  { name: "unmasked /proc", mutate: (f) => (ctr(f).securityContext.procMount = "Unmasked"), expect: ["pss-proc-mount"] },
  {
    name: "unsafe sysctl",
    mutate: (f) => (pod(f).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]),
    expect: ["pss-sysctls"],
  },
  {
    name: "lifecycle hook aimed at another host",
    mutate: (f) => (ctr(f).lifecycle = { postStart: { httpGet: { host: "169.254.169.254", path: "/", port: 80 } } }),
    expect: ["pss-host-probes"],
  },
  { name: "seccomp unset", mutate: (f) => delete pod(f).securityContext.seccompProfile, expect: ["pss-seccomp"] },
  {
    name: "capability added",
    mutate: (f) => (ctr(f).securityContext.capabilities.add = ["SYS_ADMIN"]),
    expect: ["pss-capabilities", "pss-capabilities-baseline"],
  },
  { name: "capabilities not dropped", mutate: (f) => (ctr(f).securityContext.capabilities.drop = []), expect: ["pss-capabilities"] },
  {
    name: "bare init container",
    mutate: (f) => (pod(f).initContainers = [{ name: "init", image: `busybox:1.36@${DIGEST}` }]),
    expect: ["pss-capabilities", "pss-privilege-escalation", "wl-resources"],
  },
  // Workload hygiene
  { name: "no memory limit", mutate: (f) => delete ctr(f).resources.limits.memory, expect: ["wl-resources"] },
  { name: "no cpu request", mutate: (f) => delete ctr(f).resources.requests.cpu, expect: ["wl-resources"] },
  { name: "no readiness probe", mutate: (f) => delete ctr(f).readinessProbe, expect: ["wl-probes"] },
  { name: "no liveness probe", mutate: (f) => delete ctr(f).livenessProbe, expect: ["wl-probes"] },
  { name: "probe on unknown named port", mutate: (f) => (ctr(f).readinessProbe.httpGet.port = "admin"), expect: ["wl-probe-port"] },
  { name: "probe on unknown numeric port", mutate: (f) => (ctr(f).livenessProbe.tcpSocket.port = 9999), expect: ["wl-probe-port"] },
  {
    name: "untagged image (dev)",
    mutate: (f) => {
      f.cluster = "dev-usw2";
      ctr(f).image = "registry.example.com/web";
    },
    expect: ["wl-image-tag"],
  },
  {
    name: "latest image (dev)",
    mutate: (f) => {
      f.cluster = "dev-usw2";
      ctr(f).image = "registry.example.com:5000/web:latest";
    },
    expect: ["wl-image-tag"],
  },
  { name: "prod image by tag only", mutate: (f) => (ctr(f).image = "registry.example.com/web:1.2.3"), expect: ["wl-image-digest"] },
  { name: "default service account", mutate: (f) => delete pod(f).serviceAccountName, expect: ["wl-service-account"] },
  { name: "token mounted without RBAC", mutate: (f) => (pod(f).automountServiceAccountToken = true), expect: ["wl-automount-token"] },
  {
    name: "token mounted via ServiceAccount default",
    mutate: (f) => {
      delete pod(f).automountServiceAccountToken;
      delete get(f, "ServiceAccount", "web").automountServiceAccountToken;
    },
    expect: ["wl-automount-token"],
  },
  { name: "no PDB for 2 replicas", mutate: (f) => remove(f, "PodDisruptionBudget", "web"), expect: ["wl-pdb-missing"] },
  {
    name: "no PDB for HPA min 2",
    mutate: (f) => {
      remove(f, "PodDisruptionBudget", "web");
      delete web(f).spec.replicas;
      f.objects.push(hpa(2, 4));
    },
    expect: ["wl-pdb-missing"],
  },
  {
    name: "PDB minAvailable = replicas",
    mutate: (f) =>
      (get(f, "PodDisruptionBudget", "web").spec = { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } }),
    expect: ["wl-pdb-blocks-eviction"],
  },
  {
    name: "PDB maxUnavailable 0",
    mutate: (f) => (get(f, "PodDisruptionBudget", "web").spec.maxUnavailable = 0),
    expect: ["wl-pdb-blocks-eviction"],
  },
  { name: "replicas with HPA", mutate: (f) => f.objects.push(hpa(2, 4)), expect: ["wl-replicas-with-autoscaler"] },
  {
    name: "replicas with KEDA ScaledObject",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "web", namespace: NS },
        spec: { scaleTargetRef: { name: "web" }, minReplicaCount: 2, maxReplicaCount: 4 },
      }),
    expect: ["wl-replicas-with-autoscaler"],
  },
  {
    name: "HPA min > max",
    mutate: (f) => {
      delete web(f).spec.replicas;
      f.objects.push(hpa(5, 3));
    },
    expect: ["kube-workload", "wl-hpa-min-max"],
  },
  {
    name: "PDB minAvailable equals HPA min",
    mutate: (f) => {
      delete web(f).spec.replicas;
      f.objects.push(hpa(3, 6));
      get(f, "PodDisruptionBudget", "web").spec = { minAvailable: 3, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } };
    },
    expect: ["wl-pdb-below-hpa-min", "wl-pdb-blocks-eviction"],
  },
  { name: "prod without spread", mutate: (f) => delete pod(f).topologySpreadConstraints, expect: ["wl-spread"] },
  {
    name: "prod HPA max 4 without spread",
    mutate: (f) => {
      delete pod(f).topologySpreadConstraints;
      delete web(f).spec.replicas;
      remove(f, "PodDisruptionBudget", "web");
      f.objects.push(hpa(1, 4));
    },
    expect: ["wl-spread"],
  },
  // References
  {
    name: "Service selector matches nothing",
    mutate: (f) => (get(f, "Service", "web").spec.selector = { app: "ghost" }),
    expect: ["ref-service-selector"],
  },
  {
    name: "Service named targetPort missing",
    mutate: (f) => (get(f, "Service", "web").spec.ports[0].targetPort = "https"),
    expect: ["ref-service-target-port"],
  },
  { name: "HPA target missing", mutate: (f) => f.objects.push(hpa(2, 4, "ghost")), expect: ["ref-scale-target"] },
  {
    name: "VPA target missing",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "autoscaling.k8s.io/v1",
        kind: "VerticalPodAutoscaler",
        metadata: { name: "x", namespace: NS },
        spec: { targetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "web" } },
      }),
    expect: ["ref-scale-target"],
  },
  {
    name: "PDB selects nothing",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "ghost", namespace: NS },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: "ghost" } } },
      }),
    expect: ["ref-pdb-target"],
  },
  {
    name: "Ingress backend port missing",
    mutate: (f) => (get(f, "Ingress", "web").spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }),
    expect: ["ref-ingress-backend"],
  },
  {
    name: "a Prometheus scrape not admitted by the callee's NetworkPolicy",
    mutate: (f) => (get(f, "NetworkPolicy", "web").spec.ingress = []),
    expect: ["net-flow-denied"],
  },
  {
    name: "egress open to 0.0.0.0/0",
    mutate: (f) =>
      Object.assign(get(f, "NetworkPolicy", "web").spec, {
        policyTypes: ["Ingress", "Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
      }),
    expect: ["net-egress-world"],
  },
  {
    name: "Ingress backend Service missing",
    mutate: (f) => (get(f, "Ingress", "web").spec.rules[0].http.paths[0].backend.service.name = "ghost"),
    expect: ["ref-ingress-backend"],
  },
  {
    name: "ServiceMonitor port name missing",
    mutate: (f) => (get(f, "ServiceMonitor", "web").spec.endpoints[0].port = "prom"),
    expect: ["ref-servicemonitor"],
  },
  {
    name: "ServiceMonitor selects nothing",
    mutate: (f) => (get(f, "ServiceMonitor", "web").spec.selector = { matchLabels: { metrics: "no" } }),
    expect: ["ref-servicemonitor"],
  },
  { name: "ConfigMap missing", mutate: (f) => remove(f, "ConfigMap", "web-config"), expect: ["ref-configmap"] },
  {
    name: "envFrom ConfigMap missing",
    mutate: (f) => (ctr(f).envFrom = [{ configMapRef: { name: "ghost" } }]),
    expect: ["ref-configmap"],
  },
  { name: "Secret missing", mutate: (f) => remove(f, "ExternalSecret", "web-secret"), expect: ["ref-secret"] },
  { name: "PVC missing", mutate: (f) => remove(f, "PersistentVolumeClaim", "web-data"), expect: ["ref-pvc"] },
  { name: "ServiceAccount missing", mutate: (f) => remove(f, "ServiceAccount", "web"), expect: ["ref-service-account"] },
  {
    name: "NetworkPolicy selects nothing",
    mutate: (f) => f.objects.push(otherNp({ app: "ghost" })),
    expect: ["ref-networkpolicy-selects"],
  },
  { name: "pod selected by no NetworkPolicy", mutate: (f) => remove(f, "NetworkPolicy", "web"), expect: ["ref-pod-networkpolicy"] },
  {
    name: "CloudNativePG Cluster without durability targets, archiver or backups",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: {
          name: "db",
          namespace: NS,
          annotations: { "ai-platform.io/durability-rpo": "5m", "ai-platform.io/durability-rto": "15m" },
        },
        spec: { instances: 1 },
      }),
    expect: ["durability-postgres"],
  },
  {
    name: "PVC neither re-creatable nor named by a Velero Schedule",
    mutate: (f) => delete get(f, "PersistentVolumeClaim", "web-data").metadata.annotations,
    expect: ["durability-volumes"],
  },
  {
    name: "VirtualService to unknown hosts",
    mutate: (f) => f.objects.push(virtualService("ghost", "ghost.team.svc.cluster.local")),
    expect: ["ref-istio-hosts"],
  },
  // GPU
  { name: "GPU pod without toleration", mutate: (f) => gpuize(f, 1, { toleration: false }), expect: ["gpu-toleration"] },
  { name: "GPU pod selecting missing NodePool", mutate: (f) => gpuize(f, 1, { nodepool: "ghost" }), expect: ["gpu-nodepool"] },
  { name: "GPU pod selecting no NodePool", mutate: (f) => gpuize(f, 1, { nodepool: undefined }), expect: ["gpu-nodepool"] },
  { name: "GPU pod needs 8 GPUs, pool has at most 4", mutate: (f) => gpuize(f, 8), expect: ["gpu-instance-capacity"] },
  {
    name: "pool instance types not in the region",
    mutate: (f) => {
      gpuize(f, 1);
      get(f, "NodePool", "gpu").spec.template.spec.requirements[0].values = ["g6.xlarge"];
    },
    expect: ["gpu-instance-capacity"],
  },
  {
    name: "GPU toleration without GPU request",
    mutate: (f) => (pod(f).tolerations = [{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]),
    expect: ["gpu-toleration-without-request"],
  },
  {
    name: "catch-all toleration without GPU request",
    mutate: (f) => (pod(f).tolerations = [{ operator: "Exists" }]),
    expect: ["gpu-toleration-without-request"],
  },
  // APIs
  {
    name: "policy/v1beta1 PDB on 1.33",
    mutate: (f) => (get(f, "PodDisruptionBudget", "web").apiVersion = "policy/v1beta1"),
    expect: ["api-removed"],
  },
  {
    name: "autoscaling/v2beta2 HPA on 1.33",
    mutate: (f) =>
      f.objects.push({
        ...hpa(undefined, 4, "ghost-free"),
        apiVersion: "autoscaling/v2beta2",
        spec: { maxReplicas: 4, scaleTargetRef: { kind: "Deployment", name: "web" } },
      }),
    expect: ["api-removed", "wl-replicas-with-autoscaler"],
  },
  { name: "flowcontrol v1beta2 on 1.33", mutate: (f) => f.objects.push(flowSchema), expect: ["api-removed"] },
  {
    name: "flowcontrol v1beta2 on 1.28 is deprecated",
    mutate: (f) => {
      f.fleet = {
        ...DEFAULT_FLEET,
        clusters: DEFAULT_FLEET.clusters.map((c) => (c.name === "prod-usw2" ? { ...c, kubernetesVersion: "1.28" } : c)),
      };
      f.objects.push(flowSchema);
    },
    expect: ["api-deprecated"],
  },
  {
    name: "CRD version not allowlisted",
    mutate: (f) => (get(f, "ExternalSecret", "web-secret").apiVersion = "external-secrets.io/v1beta1"),
    expect: ["api-crd-allowlist"],
  },
  {
    name: "unknown CRD group",
    mutate: (f) => f.objects.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: NS } }),
    expect: ["api-crd-allowlist"],
  },
  // Secrets
  {
    name: "Secret with data",
    mutate: (f) => f.objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: NS }, data: { k: "dg==" } }),
    expect: ["secret-inline-data"],
  },
  {
    name: "Secret with stringData",
    mutate: (f) => f.objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: NS }, stringData: { k: "v" } }),
    expect: ["secret-inline-data"],
  },
  { name: "literal API_TOKEN", mutate: (f) => ctr(f).env.push({ name: "API_TOKEN", value: "abc123" }), expect: ["secret-literal-env"] },
  { name: "literal SIGNING_KEY", mutate: (f) => ctr(f).env.push({ name: "SIGNING_KEY", value: "abc123" }), expect: ["secret-literal-env"] },
  {
    name: "credential URL in ConfigMap",
    mutate: (f) => (get(f, "ConfigMap", "web-config").data.db = CRED_URL),
    expect: ["secret-credential-pattern"],
  },
  {
    name: "PEM key in ConfigMap",
    mutate: (f) => (get(f, "ConfigMap", "web-config").data["tls.key"] = PEM),
    expect: ["secret-credential-pattern"],
  },
  {
    name: "AWS key id in annotation",
    mutate: (f) => (get(f, "Service", "web").metadata.annotations = { note: AWS_KEY }),
    expect: ["secret-credential-pattern"],
  },
  {
    name: "JWT in env value",
    mutate: (f) => ctr(f).env.push({ name: "HEADER", value: `Bearer ${JWT}` }),
    expect: ["secret-credential-pattern"],
  },
  {
    name: "ExternalSecret store missing",
    mutate: (f) => (get(f, "ExternalSecret", "web-secret").spec.secretStoreRef.name = "vault"),
    expect: ["secret-store-exists"],
  },
  {
    name: "ExternalSecret SecretStore kind defaults",
    mutate: (f) => delete get(f, "ExternalSecret", "web-secret").spec.secretStoreRef.kind,
    expect: ["secret-store-exists"],
  },
  {
    name: "dataFrom sourceRef store missing",
    mutate: (f) =>
      (get(f, "ExternalSecret", "web-secret").spec.dataFrom = [
        { extract: { key: "k" }, sourceRef: { storeRef: { kind: "ClusterSecretStore", name: "vault" } } },
      ]),
    expect: ["secret-store-exists"],
  },
  {
    name: "secret store in another region",
    mutate: (f) => (get(f, "ClusterSecretStore", "aws-secrets-manager").spec.provider.aws.region = "eu-west-1"),
    expect: ["secret-store-region"],
  },
  // Argo CD
  {
    name: "ApplicationSet template uses a missing key",
    mutate: (f) => (appSet(f).spec.template.metadata.labels.region = "{{.region}}"),
    expect: ["argo-appset-expand"],
  },
  { name: "project missing", mutate: (f) => (appSet(f).spec.template.spec.project = "ghost"), expect: ["argo-project-exists"] },
  {
    name: "add-on namespace enforcing Pod Security baseline without an exception",
    mutate: (f) =>
      (appSet(f).spec.template.spec.syncPolicy = {
        ...appSet(f).spec.template.spec.syncPolicy,
        managedNamespaceMetadata: { labels: { "pod-security.kubernetes.io/enforce": "baseline" } },
      }),
    expect: ["addon-pod-security"],
  },
  {
    name: "source repo not permitted",
    mutate: (f) => (appSet(f).spec.template.spec.source.repoURL = "https://github.com/evil/repo.git"),
    expect: ["argo-project-source"],
  },
  {
    name: "destination namespace not permitted",
    mutate: (f) => (appSet(f).spec.template.spec.destination.namespace = "kube-system"),
    expect: ["argo-project-destination"],
  },
  {
    name: "destination cluster not permitted",
    mutate: (f) => appSet(f).spec.generators[0].list.elements.push({ cluster: "prod-euw1", env: "prod" }),
    expect: ["argo-project-destination"],
  },
  { name: "project sourceRepos *", mutate: (f) => (project(f).spec.sourceRepos = ["*"]), expect: ["argo-project-wildcard"] },
  {
    name: "project destination namespace *",
    mutate: (f) => (project(f).spec.destinations[0].namespace = "*"),
    expect: ["argo-project-wildcard"],
  },
  {
    name: "project destination server *",
    mutate: (f) => project(f).spec.destinations.push({ server: "*", namespace: NS }),
    expect: ["argo-project-wildcard"],
  },
  {
    name: "project destination namespace !kube-system (admits every other namespace)",
    mutate: (f) => (project(f).spec.destinations[0].namespace = "!kube-system"),
    expect: ["argo-project-wildcard"],
  },
  {
    name: "project sourceRepos !<another repo> (admits every other repository)",
    mutate: (f) => project(f).spec.sourceRepos.push("!https://github.com/evil/x"),
    expect: ["argo-project-wildcard"],
  },
  {
    name: "project destination name !retired-cluster (admits every other cluster)",
    mutate: (f) => project(f).spec.destinations.push({ name: "!retired-cluster", namespace: NS }),
    expect: ["argo-project-wildcard"],
  },
  {
    name: "default project permits a repo",
    mutate: (f) => (project(f, "default").spec.sourceRepos = [REPO_URL]),
    expect: ["argo-default-project"],
  },
  { name: "default project not defined", mutate: (f) => remove(f, "AppProject", "default"), expect: ["argo-default-project"] },
  {
    name: "staging app targets prod cluster",
    mutate: (f) => (appSet(f).spec.generators[0].list.elements[0].env = "staging"),
    expect: ["argo-env-crossing"],
  },
  {
    name: "prod app targets dev cluster",
    mutate: (f) => (appSet(f).spec.generators[0].list.elements[1].env = "prod"),
    expect: ["argo-env-crossing"],
  },
  {
    name: "tenant project may create Namespaces",
    mutate: (f) => (project(f).spec.clusterResourceWhitelist = [{ group: "", kind: "Namespace" }]),
    expect: ["argo-tenant-cluster-scope"],
  },
  // What the API server itself refuses (apiserver.ts, rules in generators/rules/)
  { name: "container name with an underscore", mutate: (f) => (ctr(f).name = "web_main"), expect: ["kube-name"] },
  {
    name: "label value with a space",
    mutate: (f) => (web(f).metadata.labels = { ...web(f).metadata.labels, team: "web team" }),
    expect: ["kube-label"],
  },
  { name: "annotation key with two slashes", mutate: (f) => (web(f).metadata.annotations = { "a/b/c": "x" }), expect: ["kube-annotation"] },
  { name: "two containers with one name", mutate: (f) => pod(f).containers.push({ ...ctr(f) }), expect: ["kube-unique"] },
  {
    name: "image with an upper-case repository",
    mutate: (f) => (ctr(f).image = `registry.example.com/Web:1.2.3@${DIGEST}`),
    expect: ["kube-image"],
  },
  { name: "memory limit below the request", mutate: (f) => (ctr(f).resources.limits.memory = "64Mi"), expect: ["kube-resources"] },
  { name: "env var name starting with a digit", mutate: (f) => (ctr(f).env = [{ name: "1ST", value: "x" }]), expect: ["kube-env"] },
  {
    name: "ConfigMap key with a slash",
    mutate: (f) => f.objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: NS }, data: { "a/b": "x" } }),
    expect: ["kube-configmap"],
  },
  {
    name: "rollout with maxSurge 0 and maxUnavailable 0",
    mutate: (f) => (web(f).spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
    expect: ["kube-workload"],
  },
  {
    name: "NetworkPolicy except outside its cidr",
    mutate: (f) =>
      f.objects.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "np", namespace: NS },
        spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["192.168.0.0/16"] } }] }] },
      }),
    // The policy also isolates the namespace's egress, so the fixture's flows it does not cover are denied.
    expect: ["kube-network", "net-flow-denied"],
  },
  {
    name: "tenant object in kube-system",
    mutate: (f) => f.objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "kube-system" }, data: {} }),
    expect: ["kube-namespace"],
  },
];

/** Variants that stay compliant: each exercises a rule's accepting branch. */
const PASSING: Case[] = [
  { name: "fixture under its cluster's admission guardrails", mutate: guarded, expect: [] },
  { name: "compliant baseline", mutate: () => undefined, expect: [] },
  {
    name: "Gateway listener served by a certificate another cluster publishes (ExternalSecret with cert-manager's alt-names)",
    mutate: (f) => publishedListener(f, "*.team.ai.example.com"),
    expect: [],
  },

  {
    name: "runAsNonRoot on the container only",
    mutate: (f) => {
      delete pod(f).securityContext.runAsNonRoot;
      ctr(f).securityContext.runAsNonRoot = true;
    },
    expect: [],
  },
  {
    name: "seccomp Localhost per container",
    mutate: (f) => {
      delete pod(f).securityContext.seccompProfile;
      ctr(f).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
    },
    expect: [],
  },
  { name: "NET_BIND_SERVICE added", mutate: (f) => (ctr(f).securityContext.capabilities.add = ["NET_BIND_SERVICE"]), expect: [] },
  {
    name: "allowed volume types",
    mutate: (f) =>
      pod(f).volumes.push(
        { name: "p", projected: { sources: [{ configMap: { name: "web-config" } }] } },
        { name: "d", downwardAPI: { items: [] } },
        { name: "e", ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: "c", csi: { driver: "x" } },
      ),
    expect: [],
  },
  {
    name: "tag-only image outside prod",
    mutate: (f) => {
      f.cluster = "dev-usw2";
      ctr(f).image = "registry.example.com/web:1.2.3";
    },
    expect: [],
  },
  { name: "digest-only image", mutate: (f) => (ctr(f).image = `registry.example.com/web@${DIGEST}`), expect: [] },
  {
    name: "Job needs no probes",
    mutate: (f) => {
      web(f).kind = "Job";
      delete web(f).spec.replicas;
      delete ctr(f).readinessProbe;
      delete ctr(f).livenessProbe;
      remove(f, "PodDisruptionBudget", "web");
    },
    expect: [],
  },
  {
    name: "token mounted with a RoleBinding",
    mutate: (f) => {
      pod(f).automountServiceAccountToken = true;
      f.objects.push(
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "web", namespace: NS }, rules: [] },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: "web", namespace: NS },
          roleRef: { kind: "Role", name: "web" },
          subjects: [{ kind: "ServiceAccount", name: "web", namespace: NS }],
        },
      );
    },
    expect: [],
  },
  {
    name: "single replica needs no PDB",
    mutate: (f) => {
      web(f).spec.replicas = 1;
      remove(f, "PodDisruptionBudget", "web");
    },
    expect: [],
  },
  {
    name: "PDB minAvailable below replicas",
    mutate: (f) =>
      (get(f, "PodDisruptionBudget", "web").spec = { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } }),
    expect: [],
  },
  { name: "PDB maxUnavailable 50%", mutate: (f) => (get(f, "PodDisruptionBudget", "web").spec.maxUnavailable = "50%"), expect: [] },
  {
    name: "HPA without replicas, PDB below min",
    mutate: (f) => {
      delete web(f).spec.replicas;
      f.objects.push(hpa(3, 6));
      get(f, "PodDisruptionBudget", "web").spec = { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } };
    },
    expect: [],
  },
  {
    name: "pod anti-affinity instead of spread",
    mutate: (f) => {
      delete pod(f).topologySpreadConstraints;
      pod(f).affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };
    },
    expect: [],
  },
  {
    name: "no spread needed outside prod",
    mutate: (f) => {
      f.cluster = "dev-usw2";
      delete pod(f).topologySpreadConstraints;
    },
    expect: [],
  },
  { name: "numeric targetPort", mutate: (f) => (get(f, "Service", "web").spec.ports[0].targetPort = 8080), expect: [] },
  {
    name: "Ingress backend by port name",
    mutate: (f) => (get(f, "Ingress", "web").spec.rules[0].http.paths[0].backend.service.port = { name: "http" }),
    expect: [],
  },
  {
    name: "Secret created by ExternalSecret target.name",
    mutate: (f) => {
      const es = get(f, "ExternalSecret", "web-secret");
      es.metadata.name = "es";
      es.spec.target = { name: "web-secret" };
    },
    expect: [],
  },
  {
    name: "Secret named by ExternalSecret metadata.name",
    mutate: (f) => delete get(f, "ExternalSecret", "web-secret").spec.target,
    expect: [],
  },
  {
    name: "optional ConfigMap may be missing",
    mutate: (f) => (ctr(f).envFrom = [{ configMapRef: { name: "ghost", optional: true } }]),
    expect: [],
  },
  {
    name: "StatefulSet volumeClaimTemplate counts as PVC",
    mutate: (f) => {
      remove(f, "PersistentVolumeClaim", "web-data");
      web(f).kind = "StatefulSet";
      web(f).spec.volumeClaimTemplates = [{ metadata: { name: "web-data" }, spec: {} }];
      web(f).metadata.annotations = { ...web(f).metadata.annotations, "ai-platform.io/recreatable": "fixture data" };
    },
    expect: [],
  },
  { name: "default-deny NetworkPolicy selects the pod", mutate: (f) => (get(f, "NetworkPolicy", "web").spec.podSelector = {}), expect: [] },
  {
    name: "VirtualService to short and FQDN hosts",
    mutate: (f) => f.objects.push(virtualService("web", "web.team.svc.cluster.local")),
    expect: [],
  },
  {
    name: "gateway VirtualService with external host",
    mutate: (f) =>
      f.objects.push({
        ...virtualService("web.example.com", "web"),
        spec: { ...virtualService("", "web").spec, hosts: ["web.example.com"], gateways: ["istio-system/gw"] },
      }),
    expect: [],
  },
  { name: "GPU pod that fits", mutate: (f) => gpuize(f, 4), expect: [] },
  {
    name: "GPU toleration with Equal operator",
    mutate: (f) => {
      gpuize(f, 1);
      pod(f).tolerations = [{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }];
    },
    expect: [],
  },
  {
    name: "flowcontrol v1 is fine",
    mutate: (f) => f.objects.push({ ...flowSchema, apiVersion: "flowcontrol.apiserver.k8s.io/v1" }),
    expect: [],
  },
  {
    name: "allowlisted CRDs",
    mutate: (f) =>
      f.objects.push({ apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: { name: "t", namespace: NS } }),
    expect: [],
  },
  {
    name: "env value not secret-looking",
    mutate: (f) => ctr(f).env.push({ name: "KEYCLOAK_URL", value: "https://sso.example.com/realms/x" }),
    expect: [],
  },
  {
    name: "URL without credentials",
    mutate: (f) => (get(f, "ConfigMap", "web-config").data.db = "postgres://db.example.com:5432/app"),
    expect: [],
  },
  {
    name: "empty Secret (type only)",
    mutate: (f) => f.objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: NS }, type: "Opaque" }),
    expect: [],
  },
  {
    name: "SecretStore in the namespace",
    mutate: (f) => {
      f.objects.push({
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: "local", namespace: NS },
        spec: { provider: { aws: { region: "us-west-2" } } },
      });
      get(f, "ExternalSecret", "web-secret").spec.secretStoreRef = { name: "local" };
    },
    expect: [],
  },
  {
    name: "project destination glob",
    mutate: (f) => {
      project(f).spec.destinations = [{ name: "*-usw2", namespace: "team" }];
      project(f).spec.sourceRepos = ["https://github.com/example-org/*"];
    },
    expect: [],
  },
  {
    name: "platform project may create cluster-scoped objects",
    mutate: (f) =>
      f.apps.push({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: "platform-prod" },
        spec: { sourceRepos: [REPO_URL], destinations: [], clusterResourceWhitelist: [{ group: "", kind: "Namespace" }] },
      }),
    expect: [],
  },
];

describe("policy rules", () => {
  it.each(FAILING)("fails: $name", (c) => {
    const f = fixture();
    c.mutate(f);
    expect(ruleIds(f)).toEqual([...c.expect].sort());
  });

  it.each(PASSING)("passes: $name", (c) => {
    const f = fixture();
    c.mutate(f);
    expect(ruleIds(f)).toEqual(c.expect);
  });

  it("every rule has a failing fixture and rule ids are unique", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const covered = new Set(FAILING.flatMap((c) => c.expect));
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });

  it("docs/policy.md documents every rule", () => {
    const doc = readFileSync(new URL("../../docs/policy.md", import.meta.url), "utf8");
    expect(RULES.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
  });

  it("reports the field path, object, tenant and cluster", () => {
    const f = fixture();
    ctr(f).securityContext.privileged = true;
    const [finding] = runPolicies(toInput(f), [], TODAY).findings;
    expect(finding).toMatchObject({
      rule: "pss-privileged",
      cluster: "prod-usw2",
      tenant: "team",
      object: "Deployment/team/web",
      path: "spec.template.spec.containers[0].securityContext.privileged",
    });
    expect(finding?.fix).toMatch(/privileged/);
  });

  it("counts rules and objects", () => {
    const f = fixture();
    const r = runPolicies(toInput(f), [], TODAY);
    expect(r.rulesRun).toBe(RULES.length);
    expect(r.objectsChecked).toBe(f.objects.length + f.apps.length);
  });
});

describe("exceptions", () => {
  const broken = (): Fixture => {
    const f = fixture();
    ctr(f).image = "registry.example.com/web:1.2.3";
    return f;
  };
  const exc = (over: Partial<PolicyException> = {}): PolicyException => ({
    rule: "wl-image-digest",
    object: "Deployment/team/web",
    reason: "test",
    expires: "2026-12-31",
    ...over,
  });

  it("a matching exception moves the finding to excepted", () => {
    const r = runPolicies(toInput(broken()), [exc()], TODAY);
    expect(r.findings).toEqual([]);
    expect(r.excepted.map((e) => e.finding.rule)).toEqual(["wl-image-digest"]);
    expect(r.unusedOrExpired).toEqual([]);
  });

  it("an exception for another cluster does not apply and is unused", () => {
    const r = runPolicies(toInput(broken()), [exc({ cluster: "prod-euw1" })], TODAY);
    expect(r.findings.map((x) => x.rule)).toEqual(["wl-image-digest"]);
    expect(r.unusedOrExpired.map((u) => u.reason)).toEqual(["matches no finding"]);
  });

  it("an exception is valid through its expiry day", () => {
    const r = runPolicies(toInput(broken()), [exc({ expires: "2026-11-22" })], TODAY);
    expect(r.findings).toEqual([]);
    expect(r.unusedOrExpired).toEqual([]);
  });

  it("an expired exception fails and no longer suppresses", () => {
    const r = runPolicies(toInput(broken()), [exc({ expires: "2026-11-21" })], TODAY);
    expect(r.findings.map((x) => x.rule)).toEqual(["wl-image-digest"]);
    expect(r.unusedOrExpired).toHaveLength(1);
    expect(r.unusedOrExpired[0]?.reason).toMatch(/expired/);
  });

  it("an unused exception fails", () => {
    const r = runPolicies(toInput(fixture()), [exc()], TODAY);
    expect(r.findings).toEqual([]);
    expect(r.unusedOrExpired).toEqual([{ exception: exc(), reason: "matches no finding" }]);
  });

  it("a malformed expiry fails", () => {
    const r = runPolicies(toInput(broken()), [exc({ expires: "31/12/2026" })], TODAY);
    expect(r.unusedOrExpired[0]?.reason).toMatch(/YYYY-MM-DD/);
  });
});
