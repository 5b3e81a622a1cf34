/**
 * The holes issue #23 names that live past admission, each planted by a hostile tenant and
 * blocked by what the committed tree configures, judged with the controller's documented
 * behaviour (controllers.ts): Prometheus' file access and label enforcement, Alertmanager's
 * inhibition, the ResourceQuota admission of GPUs and system priority classes, and KEDA's AWS
 * identity.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { AWS_ACCOUNT_ID, GPU_RESOURCE, PLATFORM, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { gpuBudget } from "../../generators/builders/quota.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { REPO } from "../helpers/repo.js";
import type { Obj } from "./attacks.js";
import { alertLabels, inhibited, monitorRejection, quotaRefusal, storedSeriesLabels } from "./controllers.js";
import { arnMatches, clusterViews, type ClusterView } from "./harness.js";

let views: ClusterView[];
beforeAll(async () => {
  views = await clusterViews();
});

/** kube-prometheus-stack's Helm values per cluster, as committed in apps/. */
const stackValues = (() => {
  const docs = parseAllDocuments(readFileSync(join(REPO, "apps/fleet/addons.yaml"), "utf8")).map((d) => d.toJSON() as Obj);
  const set = docs.find((d) => d?.metadata?.name === "addon-kube-prometheus-stack")!;
  return new Map<string, Obj>(set.spec.generators[0].list.elements.map((e: Obj) => [e.cluster, parse(e.values) as Obj]));
})();

const attacker = TENANTS.find((t) => t.spec.name === "uiota")!.spec;
const victim = TENANTS.find((t) => t.spec.name === "autonomous-op")!.spec;
const attackerNs = tenantNamespace(attacker);
const victimNs = tenantNamespace(victim);

describe.each(DEFAULT_FLEET.clusters.map((c) => [c.name]))("on %s", (cluster) => {
  const values = (): Obj => stackValues.get(cluster)!;
  const prometheus = (): Obj => values().prometheus.prometheusSpec;
  const monitor = (endpoint: Obj): Obj => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "steal", namespace: attackerNs },
    spec: { selector: {}, endpoints: [{ port: "metrics", ...endpoint }] },
  });

  it("Prometheus refuses a tenant ServiceMonitor that would send its own token or read its files", () => {
    expect(monitorRejection(prometheus(), monitor({ bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }))).toMatch(
      /bearer token file/,
    );
    expect(monitorRejection(prometheus(), monitor({ tlsConfig: { keyFile: "/etc/prometheus/secrets/x/key" } }))).toMatch(/tls config/);
    expect(monitorRejection(prometheus(), monitor({ interval: "30s" }))).toBeUndefined();
    // The hole as it was: the chart's default allows both.
    expect(
      monitorRejection({ ...prometheus(), arbitraryFSAccessThroughSMs: undefined }, monitor({ bearerTokenFile: "/x" })),
    ).toBeUndefined();
  });

  it("stores a tenant's series under its own namespace, so it cannot drive another tenant's KEDA query", () => {
    const spoofed = { __name__: "http_server_requests_seconds_count", namespace: victimNs, service: "autonomous-op" };
    const stored = storedSeriesLabels(prometheus(), monitor({ honorLabels: true }), spoofed);
    expect(stored.namespace).toBe(attackerNs);
    // autonomous-op's KEDA trigger selects namespace="autonomous-op": the spoofed series is not among its inputs.
    const queries = victim.apps.flatMap((a) => a.scaling.keda?.triggers.flatMap((t) => (t.prometheus ? [t.prometheus.query] : [])) ?? []);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q.includes(`namespace="${stored.namespace}"`), q).toBe(false);
    // The platform's own monitors (kube-state-metrics in monitoring) keep the namespace of the object they describe.
    const ksm = { ...monitor({}), metadata: { name: "kube-state-metrics", namespace: PLATFORM.monitoringNamespace } };
    expect(storedSeriesLabels(prometheus(), ksm, { namespace: victimNs }).namespace).toBe(victimNs);
  });

  it("keeps a tenant's fake critical alert from inhibiting another namespace's warnings", () => {
    const rule = { metadata: { name: "fake", namespace: attackerNs } };
    const fake = alertLabels(prometheus(), rule, { alertname: "KubePodCrashLooping", severity: "critical", namespace: victimNs });
    const real = { alertname: "KubePodCrashLooping", severity: "warning", namespace: victimNs };
    const rules = values().alertmanager.config.inhibit_rules as Obj[];
    expect(fake.namespace).toBe(attackerNs);
    expect(inhibited(rules, [fake, real], real)).toBe(false);
    // The same alert from the victim's own namespace does inhibit: the rules still work.
    expect(inhibited(rules, [{ ...real, severity: "critical" }, real], real)).toBe(true);
    // Every rule with a source is bound to one namespace.
    for (const r of rules.filter((x) => x.source_matchers)) expect(r.equal, JSON.stringify(r)).toContain("namespace");
    expect(values().alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy).toEqual({ type: "OnNamespace" });
  });

  it("caps every tenant's GPUs at what its own apps need, and refuses a pod beyond it", () => {
    const view = views.find((v) => v.cluster.name === cluster)!;
    const quotas = (view.folders.get(PLATFORM_TENANT) ?? []).filter((o) => o.kind === "ResourceQuota");
    const gpuPod = (ns: string, gpus: number): Obj => ({
      metadata: { namespace: ns },
      spec: { containers: [{ name: "c", resources: { requests: { [GPU_RESOURCE]: String(gpus) } } }] },
    });
    for (const { spec: t } of TENANTS) {
      const own = quotas.filter((q) => q.metadata.namespace === tenantNamespace(t));
      const budget = gpuBudget(t, view.cluster.env);
      expect(own.find((q) => q.metadata.name === t.name)?.spec.hard[`requests.${GPU_RESOURCE}`], t.name).toBe(String(budget));
      expect(quotaRefusal(own, { [`requests.${GPU_RESOURCE}`]: budget }, gpuPod(tenantNamespace(t), 1)), t.name).toMatch(/exceeded quota/);
      if (budget > 0) expect(quotaRefusal(own, {}, gpuPod(tenantNamespace(t), 1)), t.name).toBeUndefined();
    }
    expect(gpuBudget(attacker, view.cluster.env)).toBeGreaterThan(0);
  });

  it("refuses a tenant pod at system-node-critical or system-cluster-critical through the scoped quota", () => {
    const view = views.find((v) => v.cluster.name === cluster)!;
    const own = (view.folders.get(PLATFORM_TENANT) ?? []).filter((o) => o.kind === "ResourceQuota" && o.metadata.namespace === attackerNs);
    for (const priorityClassName of ["system-node-critical", "system-cluster-critical"])
      expect(quotaRefusal(own, {}, { spec: { priorityClassName, containers: [{ name: "c" }] } }), priorityClassName).toMatch(
        /system-priority/,
      );
    expect(quotaRefusal(own, {}, { spec: { priorityClassName: "tenant-standard", containers: [{ name: "c" }] } })).toBeUndefined();
  });

  it("gives KEDA's AWS access to each tenant through its own role in iam/, and to nothing else", () => {
    const view = views.find((v) => v.cluster.name === cluster)!;
    const roles = view.iam;
    const operatorArn = `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${cluster}-keda`;
    const operator = roles.find((r) => r.roleName === `${cluster}-keda`)!;
    expect(operator.permissionsPolicy.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["sts:AssumeRole"] })]);
    expect(JSON.stringify(operator.trustPolicy)).toContain(`system:serviceaccount:${PLATFORM.kedaNamespace}:keda-operator`);
    const auths = (view.folders.get(PLATFORM_TENANT) ?? []).filter((o) => o.kind === "TriggerAuthentication");
    for (const { spec: t } of TENANTS) {
      const auth = auths.find((a) => a.metadata.namespace === tenantNamespace(t) && a.metadata.name === PLATFORM.kedaAwsAuthentication);
      expect(auth?.spec.podIdentity, t.name).toEqual({
        provider: "aws",
        roleArn: `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${cluster}-keda-${t.name}`,
      });
      const role = roles.find((r) => `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${r.roleName}` === auth?.spec.podIdentity.roleArn);
      expect(role, t.name).toBeDefined();
      expect(role!.trustPolicy.Statement.map((s) => s.Principal)).toEqual([{ AWS: operatorArn }]);
      // The operator may assume it, and only roles of this cluster.
      expect(
        operator.permissionsPolicy.Statement.some((s) => (s.Resource ?? []).some((p) => arnMatches(p, auth!.spec.podIdentity.roleArn))),
      ).toBe(true);
    }
    // No other role of the cluster trusts the KEDA operator.
    const trusting = roles.filter(
      (r) => JSON.stringify(r.trustPolicy).includes(operatorArn) || JSON.stringify(r.trustPolicy).includes(":keda-operator"),
    );
    expect(trusting.map((r) => r.roleName).sort()).toEqual(
      [`${cluster}-keda`, ...TENANTS.map((t) => `${cluster}-keda-${t.spec.name}`)].sort(),
    );
  });
});

it("models every cluster of the fleet", () => {
  expect([...stackValues.keys()].sort()).toEqual(DEFAULT_FLEET.clusters.map((c) => c.name).sort());
});
