/**
 * The hostile tenant's moves against what controllers do after admission (issue #23): a
 * Service capturing addresses, nginx configuration injection, system priority and KEDA's AWS
 * identity. Each is refused by an admission guardrail; ALL_ATTACKS is what the escape suite
 * (escape.test.ts) and the planted-folder check (check.test.ts) run.
 */
import { BASE_DOMAIN } from "../../generators/fleet/constants.js";
import { ATTACKS, deployment, meta, type Attack } from "./attacks.js";

export const CONTROLLER_ATTACKS: readonly Attack[] = [
  {
    name: "captures traffic to any address with a ClusterIP Service's externalIPs (CVE-2020-8554)",
    blockedBy: "admission:service-exposure",
    checkRule: "isolation-service-exposure",
    object: (ctx, name) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(ctx, name),
      spec: {
        selector: { "app.kubernetes.io/name": name },
        externalIPs: ["10.100.0.10"],
        ports: [{ name: "http", port: 80, targetPort: 8080 }],
      },
    }),
  },
  {
    // ingress-nginx is gone from every cluster, and with it the Ingress kind from the tenants' AppProjects.
    name: "injects nginx configuration through an ImplementationSpecific path (CVE-2026-24512)",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta(ctx, name),
      spec: {
        ingressClassName: "nginx",
        rules: [
          {
            host: `${name}.${ctx.attacker.name}.${ctx.cluster.name}.${BASE_DOMAIN}`,
            http: {
              paths: [
                { path: "/x { } location /y", pathType: "ImplementationSpecific", backend: { service: { name, port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    }),
  },
  {
    name: "preempts every tenant at system-node-critical priority",
    blockedBy: "admission:priority-classes",
    checkRule: "isolation-priority-classes",
    object: (ctx, name) => deployment(ctx, name, { pod: { priorityClassName: "system-node-critical" } }),
  },
  {
    name: "scales on AWS with the KEDA operator's own role",
    blockedBy: "admission:keda-auth",
    checkRule: "isolation-keda-auth",
    object: (ctx, name) => ({
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: meta(ctx, name),
      spec: { podIdentity: { provider: "aws" } },
    }),
  },
];

export const ALL_ATTACKS: readonly Attack[] = [...ATTACKS, ...CONTROLLER_ATTACKS];
