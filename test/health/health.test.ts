/**
 * The health pass over the committed tree: every Application of dev-usw2 Healthy at its
 * wave and Synced after it; and each defect of issue 21, planted alone in a copy of the
 * real rendered objects and apps/, fails the check with its rule, the missing producer and
 * its wave, and the upstream file that decides it. One render of dev-usw2 feeds every case.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { readAppsObjects } from "../../generators/check/policy/load.js";
import { BOOTSTRAP_RULES, formatPlans, runBootstrap, type BootstrapInput } from "../../generators/check/bootstrap/index.js";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { renderFleet } from "../../generators/render/render.js";
import type { Finding } from "../../generators/check/finding.js";
import { REPO } from "../helpers/repo.js";
import { TEST_RENDER_CACHE, type Obj } from "../helpers/fleet.js";

const CLUSTER = "dev-usw2";
let base: BootstrapInput;

beforeAll(async () => {
  const folders = await renderFleet(REPO, { cluster: CLUSTER, cache: { dir: TEST_RENDER_CACHE }, prune: false });
  base = { fleet: DEFAULT_FLEET, apps: readAppsObjects(REPO), folders, addons: ADDONS };
});

type Editable = { apps: Obj[]; folders: { cluster: string; tenant: string; objects: Obj[] }[] };

function planted(edit: (input: Editable) => void): BootstrapInput {
  const copy = structuredClone({
    apps: base.apps as Obj[],
    folders: base.folders.map((f) => ({ cluster: f.cluster, tenant: f.tenant, objects: f.objects as Obj[] })),
  });
  edit(copy);
  return { ...copy, fleet: base.fleet, addons: ADDONS };
}

const line = (f: Finding): string => `${f.rule} ${f.tenant} ${f.object} ${f.path}: ${f.message}`;
const tripped = (input: BootstrapInput, rule: string): string[] =>
  runBootstrap(input, [CLUSTER])
    .findings.filter((f) => f.rule === rule)
    .map(line);

function appSet(apps: Obj[], name: string): Obj {
  const s = apps.find((o) => o.kind === "ApplicationSet" && o.metadata.name === name);
  if (!s) throw new Error(`no ApplicationSet ${name}`);
  return s;
}

/** Rewrites the Helm values of every element of an add-on ApplicationSet. */
function editValues(apps: Obj[], name: string, edit: (v: Obj) => void): void {
  for (const el of appSet(apps, name).spec.generators[0].list.elements as { values: string }[]) {
    const v = parse(el.values) as Obj;
    edit(v);
    el.values = stringify(v);
  }
}

function rendered(input: Editable, tenant: string, kind: string, name: string): Obj {
  const o = input.folders.find((f) => f.tenant === tenant)?.objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${tenant}`);
  return o;
}

describe("the committed tree", () => {
  it("has no health or sync finding, and the plan shows every Application Synced and Healthy, with what it waits for", () => {
    const r = runBootstrap(base, [CLUSTER]);
    expect(r.findings.map(line)).toEqual([]);
    const plan = formatPlans(r.plans, [], base.apps);
    const apps = plan.split("\n").filter((l) => /\[(addon|platform|tenant)\]/.test(l));
    expect(apps.length).toBeGreaterThan(20);
    for (const l of apps) expect(l).toMatch(/ Synced, Healthy( once .+)?$/);
  });

  it("docs/bootstrapping.md shows exactly the plan `npm run check -- --cluster dev-usw2 --plan` prints", () => {
    const doc = readFileSync(new URL("../../docs/bootstrapping.md", import.meta.url), "utf8");
    const block = /<!-- plan: dev-usw2 -->\n```\n([\s\S]*?)```\n<!-- \/plan -->/.exec(doc)?.[1];
    const r = runBootstrap(base, [CLUSTER]);
    // On a mismatch: paste the command's plan (up to the findings) between the markers.
    expect(block).toBe(formatPlans(r.plans, r.management, base.apps));
  });

  it("documents every rule of the pass in docs/policy.md", () => {
    const doc = readFileSync(new URL("../../docs/policy.md", import.meta.url), "utf8");
    expect(BOOTSTRAP_RULES.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
  });
});

describe("each defect of issue 21, planted alone, fails the check", () => {
  it("a. kube-prometheus-stack before the platform: Grafana waits for the platform's grafana-admin, and the plan says so", () => {
    const input = planted(({ apps }) => {
      const s = appSet(apps, "addon-kube-prometheus-stack");
      s.metadata.annotations["argocd.argoproj.io/sync-wave"] = "-20";
      s.spec.template.metadata.annotations["argocd.argoproj.io/sync-wave"] = "-20";
    });
    expect(tripped(input, "health-secret")).toEqual([
      expect.stringMatching(
        /^health-secret dev-usw2-kube-prometheus-stack Deployment\/kube-prometheus-stack-grafana .*grafana\.admin\.existingSecret: its chart .* needs Secret monitoring\/grafana-admin: only ExternalSecret\/monitoring\/grafana-admin in dev-usw2-platform \(wave -10\) makes it, not before wave -20; .*health_deployment\.go/,
      ),
    ]);
    const plan = formatPlans(runBootstrap(input, [CLUSTER]).plans, [], input.apps);
    expect(plan).toMatch(/dev-usw2-kube-prometheus-stack \[addon\] +Synced, waits for Secret monitoring\/grafana-admin$/m);
  });

  it("a (passing counterpart). the same Secret from a Secret of an earlier wave satisfies it", () => {
    const input = planted((i) => {
      const s = appSet(i.apps, "addon-kube-prometheus-stack");
      s.metadata.annotations["argocd.argoproj.io/sync-wave"] = "-20";
      i.folders
        .find((f) => f.tenant === "platform")!
        .objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "grafana-admin", namespace: "monitoring" } });
      // The platform moves before the stack.
      appSet(i.apps, "platform").metadata.annotations["argocd.argoproj.io/sync-wave"] = "-21";
    });
    expect(tripped(input, "health-secret")).toEqual([]);
  });

  it("b. the adapter's default rules serve neither http_requests_per_second nor the DCGM metric for the measured pods", () => {
    const input = planted(({ apps }) =>
      editValues(apps, "addon-prometheus-adapter", (v) => {
        v.rules = { default: true };
      }),
    );
    const hits = tripped(input, "health-hpa-metric");
    expect(hits).toContainEqual(
      expect.stringMatching(
        /^health-hpa-metric dev-usw2-agentguard HorizontalPodAutoscaler\/agentguard\/agentguard-api spec\.metrics\[\d\]\.pods\.metric\.name: no prometheus-adapter rule of an earlier wave serves http_requests_per_second: .*health_hpa\.go/,
      ),
    );
    expect(hits).toContainEqual(expect.stringMatching(/HorizontalPodAutoscaler\/mlcf\/mlcf-api .*serves http_requests_per_second/));
    // Argo CD shows these HPAs Healthy; the plan says what they never get.
    const plan = formatPlans(runBootstrap(input, [CLUSTER]).plans, [], input.apps);
    expect(plan).toMatch(/dev-usw2-mlcf \[tenant\] +Synced, Healthy once .*, but never gets custom metric http_requests_per_second$/m);
    expect(hits).toContainEqual(
      expect.stringMatching(
        /HorizontalPodAutoscaler\/uiota\/offline-ai .*serves DCGM_FI_DEV_GPU_UTIL from DCGM_FI_DEV_GPU_UTIL by its namespace\/pod labels, which name the exporter's pod/,
      ),
    );
  });

  it("b. a custom rule that maps the DCGM exporter's own pod labels serves the exporter, not offline-ai", () => {
    const input = planted(({ apps }) =>
      editValues(apps, "addon-prometheus-adapter", (v) => {
        for (const r of v.rules.custom as Obj[])
          if (r.name.as === "DCGM_FI_DEV_GPU_UTIL")
            r.resources = { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } };
      }),
    );
    expect(tripped(input, "health-hpa-metric")).toEqual([
      expect.stringMatching(/HorizontalPodAutoscaler\/uiota\/offline-ai .*exporter's pod/),
    ]);
  });

  it("b. a KEDA query on an undeclared series, or on the exporter's namespace label, never scales", () => {
    const input = planted((i) => {
      const so = rendered(i, "autonomous-op", "ScaledObject", "ml-service");
      const t = (so.spec.triggers as Obj[]).find((x) => x.type === "prometheus" && /DCGM/.test(x.metadata.query))!;
      t.metadata.query = 'avg(DCGM_FI_DEV_GPU_UTIL{namespace="autonomous-op"})';
      const u = (so.spec.triggers as Obj[]).find((x) => x.type === "prometheus" && !/DCGM/.test(x.metadata.query))!;
      u.metadata.query = 'sum(rate(inference_total{namespace="autonomous-op"}[2m]))';
    });
    const hits = tripped(input, "health-keda-series");
    expect(hits).toContainEqual(
      expect.stringMatching(
        /ScaledObject\/autonomous-op\/ml-service .*DCGM_FI_DEV_GPU_UTIL names the measured workload's namespace in exported_namespace/,
      ),
    );
    expect(hits).toContainEqual(expect.stringMatching(/inference_total is not a declared metric/));
  });

  it("d. the LBC webhook Secret re-applied at every render while the caBundle is ignored", () => {
    const input = planted(({ apps }) => {
      const spec = appSet(apps, "addon-aws-load-balancer-controller").spec.template.spec;
      spec.ignoreDifferences = (spec.ignoreDifferences as Obj[]).filter((e) => e.kind !== "Secret");
    });
    expect(tripped(input, "sync-render-random")).toEqual([
      expect.stringMatching(
        /^sync-render-random dev-usw2-aws-load-balancer-controller Secret\/aws-load-balancer-tls \.data: every regeneration re-applies a new Secret\/aws-load-balancer-tls while MutatingWebhookConfiguration\/aws-load-balancer-webhook keeps the old .*templates\/_helpers\.tpl/,
      ),
      expect.stringMatching(/ValidatingWebhookConfiguration\/aws-load-balancer-webhook keeps the old/),
    ]);
  });

  it("d (passing counterpart). with cert-manager issuing the webhook certificate nothing is random", () => {
    const input = planted(({ apps }) => {
      editValues(apps, "addon-aws-load-balancer-controller", (v) => {
        v.enableCertManager = true;
      });
      const spec = appSet(apps, "addon-aws-load-balancer-controller").spec.template.spec;
      spec.ignoreDifferences = [];
    });
    expect(tripped(input, "sync-render-random")).toEqual([]);
  });

  it("e. volumeClaimTemplates without apiVersion/kind under ServerSideApply stay OutOfSync, unless server-side diff is on", () => {
    const strip = (i: Editable): void => {
      const sts = rendered(i, "mlcf", "StatefulSet", "qdrant");
      for (const t of sts.spec.volumeClaimTemplates as Obj[]) {
        delete t.apiVersion;
        delete t.kind;
      }
    };
    const hits = tripped(planted(strip), "sync-vct-type");
    expect(hits).toHaveLength(2); // qdrant's data and snapshots claims
    for (const [i, h] of hits.entries())
      expect(h).toMatch(
        new RegExp(`^sync-vct-type dev-usw2-mlcf StatefulSet/mlcf/qdrant spec\\.volumeClaimTemplates\\[${i}\\]: .*argoproj/argo-cd#11143`),
      );
    const withDiff = planted((i) => {
      strip(i);
      appSet(i.apps, "mlcf").spec.template.metadata.annotations["argocd.argoproj.io/compare-options"] = "ServerSideDiff=true";
    });
    expect(tripped(withDiff, "sync-vct-type")).toEqual([]);
  });

  it("f. a root Application without retry stays failed after one Degraded wave", () => {
    const input = planted(({ apps }) => {
      const root = apps.find((o) => o.kind === "Application" && o.metadata.name === "fleet-root")!;
      delete root.spec.syncPolicy.retry;
    });
    expect(tripped(input, "argo-root-retry")).toEqual([
      expect.stringMatching(
        /^argo-root-retry fleet-root Application\/argocd\/fleet-root spec\.syncPolicy\.retry: no retry: .*sync_context\.go/,
      ),
    ]);
  });
});

describe("the health model, one missing producer at a time", () => {
  it("an ExternalSecret whose SecretStore is gone is Degraded, and the pods reading its Secret still start (same Application)", () => {
    const input = planted((i) => {
      const platform = i.folders.find((f) => f.tenant === "platform")!;
      platform.objects = platform.objects.filter((o) => !(o.kind === "SecretStore" && o.metadata.namespace === "mlcf"));
    });
    const hits = tripped(input, "health-secret-store");
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits)
      expect(h).toMatch(
        /^health-secret-store dev-usw2-mlcf ExternalSecret\/mlcf\/.* needs SecretStore mlcf\/aws-secrets-manager: nothing on the cluster makes it .*ExternalSecret\/health\.lua/,
      );
  });

  it("a pod reading a Secret nothing makes stays Progressing", () => {
    const input = planted((i) => {
      const d = rendered(i, "mlcf", "Deployment", "mlcf-api");
      (d.spec.template.spec.containers[0].env as Obj[]).push({
        name: "X",
        valueFrom: { secretKeyRef: { name: "nobody-makes-this", key: "k" } },
      });
      (d.spec.template.spec.containers[0].env as Obj[]).push({
        name: "Y",
        valueFrom: { secretKeyRef: { name: "optional-one", key: "k", optional: true } },
      });
    });
    expect(tripped(input, "health-secret")).toEqual([
      expect.stringMatching(
        /^health-secret dev-usw2-mlcf Deployment\/mlcf\/mlcf-api spec\.template\.spec\.containers\[0\]\.env\[\d+\]\.valueFrom\.secretKeyRef: its pods needs Secret mlcf\/nobody-makes-this: nothing on the cluster makes it/,
      ),
    ]);
  });

  it("a Certificate whose ClusterIssuer is missing, or whose names no ACME solver selects, stays Progressing", () => {
    const noIssuer = planted((i) => {
      const platform = i.folders.find((f) => f.tenant === "platform")!;
      platform.objects = platform.objects.filter((o) => o.kind !== "ClusterIssuer");
    });
    expect(
      tripped(noIssuer, "health-issuer").some((h) => /needs ClusterIssuer letsencrypt-prod: nothing on the cluster makes it/.test(h)),
    ).toBe(true);
    const narrow = planted((i) => {
      const issuer = i.folders.find((f) => f.tenant === "platform")!.objects.find((o) => o.kind === "ClusterIssuer")!;
      issuer.spec.acme.solvers[0].selector = { dnsZones: ["other.example.com"] };
    });
    expect(tripped(narrow, "health-acme-solver")).toContainEqual(
      expect.stringMatching(/no solver of ClusterIssuer letsencrypt-prod selects .*\.dev-usw2\.ai\.example\.com/),
    );
  });

  it("a Gateway listener whose certificate Secret nobody makes by its wave is Degraded (Gateway/health.lua)", () => {
    const input = planted((i) => {
      const platform = i.folders.find((f) => f.tenant === "platform")!;
      platform.objects = platform.objects.filter((o) => !(o.kind === "Certificate" && o.metadata.name === "mlcf.edge-tls"));
    });
    expect(tripped(input, "health-gateway-certificate")).toEqual([
      expect.stringMatching(
        /^health-gateway-certificate dev-usw2-platform Gateway\/istio-ingress\/edge spec\.listeners\[\d+\]\.tls\.certificateRefs\[0\]: listener mlcf needs Secret istio-ingress\/mlcf\.edge-tls: nothing on the cluster makes it .*InvalidCertificateRef.*Gateway\/health\.lua/,
      ),
    ]);
    const plan = formatPlans(runBootstrap(input, [CLUSTER]).plans, [], input.apps);
    expect(plan).toMatch(/dev-usw2-platform \[platform\] +Synced, waits for Secret istio-ingress\/mlcf\.edge-tls$/m);
  });

  it("a claim of a WaitForFirstConsumer class that no pod of its Application mounts stays Pending, Progressing (health_pvc.go)", () => {
    const unmount = (i: Editable): void => {
      const d = rendered(i, "uiota", "Deployment", "backend-api");
      d.spec.template.spec.volumes = (d.spec.template.spec.volumes as Obj[]).filter(
        (v) => v.persistentVolumeClaim?.claimName !== "backend-api-guardian-data",
      );
      for (const c of d.spec.template.spec.containers as Obj[])
        c.volumeMounts = ((c.volumeMounts ?? []) as Obj[]).filter(
          (m) => !(d.spec.template.spec.volumes as Obj[]).every((v) => v.name !== m.name),
        );
    };
    const toFastSsd = (i: Editable): void => {
      rendered(i, "uiota", "PersistentVolumeClaim", "backend-api-guardian-data").spec.storageClassName = "fast-ssd";
    };
    expect(
      tripped(
        planted((i) => {
          unmount(i);
          toFastSsd(i);
        }),
        "health-pvc-consumer",
      ),
    ).toEqual([
      expect.stringMatching(
        /^health-pvc-consumer dev-usw2-uiota PersistentVolumeClaim\/uiota\/backend-api-guardian-data spec\.storageClassName: its class binds on first consumer and no pod of dev-usw2-uiota mounts it: .*health_pvc\.go reports Progressing/,
      ),
    ]);
    // Mounted, or on an Immediate class, it binds: no finding.
    expect(tripped(planted(toFastSsd), "health-pvc-consumer")).toEqual([]);
  });

  it("a ScaledObject whose TriggerAuthentication is missing is Degraded", () => {
    const input = planted((i) => {
      const f = i.folders.find((x) => x.tenant === "autonomous-op")!;
      f.objects = f.objects.filter((o) => o.kind !== "TriggerAuthentication");
    });
    expect(tripped(input, "health-trigger-auth")).toContainEqual(
      expect.stringMatching(/ScaledObject\/autonomous-op\/.* needs TriggerAuthentication autonomous-op\/.*ScaledObject\/health\.lua/),
    );
  });
});
