/**
 * The same attacks, planted in a tenant's real folder (clusters/<cluster>/<tenant>/), fail
 * `npm run check`'s policy engine naming the rule: rendered by the real kustomize, checked
 * with the committed apps/ and the cluster's own admission policies.
 */
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { PATHS } from "../../generators/fleet/constants.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { loadPolicyInput, runPolicies, type Finding } from "../../generators/check/policy/index.js";
import { collectExceptions } from "../../generators/check/exceptions.js";
import { removeScratch, scratchTree } from "../helpers/repo.js";
import { ALL_ATTACKS } from "./attacks-controllers.js";

const TODAY = new Date("2026-11-30T12:00:00Z");
const specs = TENANTS.map((t) => t.spec);
/** One cluster per environment, each attacked by a different tenant. */
const CASES = ["dev-usw2", "staging-euw1", "prod-use1"].map((cluster, i) => ({
  cluster: DEFAULT_FLEET.clusters.find((c) => c.name === cluster)!,
  attacker: specs[i]!,
  victim: specs[i + 1]!,
}));

let dir: string;
const findings = new Map<string, Finding[]>();

beforeAll(async () => {
  dir = scratchTree();
  for (const { cluster, attacker, victim } of CASES) {
    const folder = join(dir, PATHS.clusters, cluster.name, attacker.name);
    const docs = ALL_ATTACKS.map((a, i) => a.object({ cluster, attacker, victim }, `escape-${i}`));
    writeFileSync(join(folder, "escape.yaml"), docs.map((d) => `---\n${stringify(d)}`).join(""));
    const k = parse(readFileSync(join(folder, "kustomization.yaml"), "utf8")) as { resources: string[] };
    k.resources.push("escape.yaml");
    writeFileSync(join(folder, "kustomization.yaml"), stringify(k));
    const input = await loadPolicyInput(dir, DEFAULT_FLEET, { cluster: cluster.name });
    // The fleet's own exceptions (prod tag pins, the declared open egress), so only the planted objects fail.
    findings.set(cluster.name, runPolicies(input, collectExceptions(TENANTS), TODAY).findings);
  }
}, 120_000);

afterAll(() => removeScratch(dir));

describe.each(CASES.map((c) => [c.cluster.name, c.attacker.name, c] as const))("on %s, attacks planted in %s's folder", (_, __, c) => {
  it.each(ALL_ATTACKS.map((a, i) => [a.name, a.checkRule, i] as const))("%s: fails the check with %s", (_name, rule, i) => {
    const attack = ALL_ATTACKS[i]!;
    const object = attack.object(c, `escape-${i}`);
    const ns = object.metadata.namespace as string | undefined;
    const id = ns ? `${object.kind}/${ns}/${object.metadata.name}` : `${object.kind}/${object.metadata.name}`;
    const hits = (findings.get(c.cluster.name) ?? []).filter((f) => f.object === id && f.tenant === c.attacker.name);
    expect(
      hits.map((f) => f.rule),
      id,
    ).toContain(rule);
  });

  it("leaves the other tenants' folders clean: every finding is on a planted object", () => {
    const planted = (findings.get(c.cluster.name) ?? []).filter(
      (f) => f.tenant !== c.attacker.name && !f.rule.startsWith("wl-image-digest"),
    );
    expect(planted.map((f) => `${f.rule} ${f.object}`)).toEqual([]);
  });
});
