/**
 * The escape suite: every tenant plays the hostile tenant on every cluster, against its
 * neighbour. Each attack must be refused by the in-cluster mechanism named in the
 * attack table: Argo CD's AppProject (Argo CD semantics, generators/argo/project.ts),
 * Pod Security (restricted, enforced on the namespace), or one of the platform's
 * ValidatingAdmissionPolicies evaluated with a real CEL implementation. Requests come
 * from Argo CD's application controller, which no policy exempts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TENANTS } from "../../generators/tenants/index.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { ALL_ATTACKS } from "./attacks-controllers.js";
import { arnMatches, blockers, clusterViews, type ClusterView } from "./harness.js";

const specs = TENANTS.map((t) => t.spec);
const pairs = specs.map((attacker, i) => ({ attacker, victim: specs[(i + 1) % specs.length]! }));

let views: ClusterView[];
beforeAll(async () => {
  views = await clusterViews();
});

describe.each(DEFAULT_FLEET.clusters.map((c) => [c.name]))("a hostile tenant on %s", (clusterName) => {
  const view = (): ClusterView => views.find((v) => v.cluster.name === clusterName)!;

  it.each(ALL_ATTACKS.map((a) => [a.name, a] as const))("%s: refused in the cluster", (_, attack) => {
    for (const { attacker, victim } of pairs) {
      const object = attack.object({ cluster: view().cluster, attacker, victim }, "escape");
      const refused = blockers(view(), attacker.name, object);
      expect([...refused.keys()], `${attacker.name} on ${clusterName}`).toContain(attack.blockedBy);
    }
  });

  it("cannot read another tenant's secrets even past the admission policy: IAM scopes each store's role to its own path and ServiceAccount", () => {
    for (const { attacker, victim } of pairs) {
      const own = view().iam.find((r) => r.roleName === `${clusterName}-secrets-${attacker.name}`)!;
      const theirs = view().iam.find((r) => r.roleName === `${clusterName}-secrets-${victim.name}`)!;
      const { region, env } = view().cluster;
      const arn = (tenant: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:${env}/${tenant}/database-AbC123`;
      const resources = own.permissionsPolicy.Statement.flatMap((s) => s.Resource ?? []);
      expect(
        resources.some((p) => arnMatches(p, arn(attacker.name))),
        attacker.name,
      ).toBe(true);
      expect(
        resources.some((p) => arnMatches(p, arn(victim.name))),
        `${attacker.name} reads ${victim.name}`,
      ).toBe(false);
      const subjects = theirs.trustPolicy.Statement.flatMap((s) =>
        Object.entries(s.Condition?.StringEquals ?? {})
          .filter(([k]) => k.endsWith(":sub"))
          .map(([, v]) => v),
      );
      expect(subjects).toEqual([`system:serviceaccount:${tenantNamespace(victim)}:secret-store`]);
    }
  });

  it("admits the tenants' own objects: the same mechanisms refuse nothing that is committed", () => {
    for (const { attacker } of pairs) {
      for (const o of view().folders.get(attacker.name) ?? []) {
        const refused = blockers(view(), attacker.name, o);
        // The restricted profile itself is proven by the pod-security check; here only its verdict matters.
        expect([...refused.entries()], `${o.kind}/${o.metadata.name}`).toEqual([]);
      }
    }
  });
});
