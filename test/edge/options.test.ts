/**
 * The typed edge options (`exposure.ingress.rateLimit`, `cors`, `maxBodySize`) on the Gateway
 * edge: the platform's EnvoyFilter (builders/edge-filters.ts), read from the fleet the real
 * kustomize renders, holds each declared host's rate limit, CORS policy and body size, and nothing
 * for the hosts that declare none.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { EDGE, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { hostsFor } from "../../generators/fleet/domains.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { buildEdgeFilters } from "../../generators/builders/edge-filters.js";
import { validateStrict } from "../../generators/check/schema/validate.js";
import type { AppSpec, TenantSpec } from "../../generators/api/tenant.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";

let fleet: RenderedFolder[];
beforeAll(async () => {
  fleet = await renderedFleet();
});

const withOptions = TENANTS.flatMap((t) =>
  t.spec.apps
    .filter((a) => {
      const i = a.exposure?.ingress;
      return i && (i.rateLimit || i.cors || i.maxBodySize);
    })
    .map((a) => ({ tenant: t.spec, app: a })),
);

function edgeFilter(cluster: string): Obj | undefined {
  const platform = fleet.find((f) => f.cluster === cluster && f.tenant === PLATFORM_TENANT)!.objects as Obj[];
  return platform.find((o) => o.kind === "EnvoyFilter");
}

/** The per-host filter configuration the EnvoyFilter merges into the virtual host `<host>:443`. */
function vhostPatch(filter: Obj, host: string): Obj | undefined {
  return filter.spec.configPatches.find((p: Obj) => p.applyTo === "VIRTUAL_HOST" && p.match.routeConfiguration.vhost.name === `${host}:443`)
    ?.patch.value;
}

describe("the typed edge options on both edges", () => {
  it("are declared by the tenants that had ingress-nginx annotations, and no tenant writes annotations any more", () => {
    expect(withOptions.map((e) => `${e.tenant.name}/${e.app.name}`).sort()).toEqual(
      ["agentguard/nginx", "autonomous-op/gateway", "mlcf/mlcf-api", "ossa/gateway", "uiota/backend-api"].sort(),
    );
    for (const t of TENANTS) for (const a of t.spec.apps) expect(Object.keys(a.exposure?.ingress ?? {})).not.toContain("annotations");
  });

  it.each(DEFAULT_FLEET.clusters.map((c) => [c.name, c] as const))(
    "on %s, the Gateway's EnvoyFilter holds each declared host's rate limit, CORS policy and body size",
    (name, cluster) => {
      const filter = edgeFilter(name);
      expect(filter?.metadata.namespace).toBe(EDGE.namespace);
      expect(filter?.spec.workloadSelector.labels).toEqual({ istio: "ingressgateway" });
      for (const { tenant, app } of withOptions) {
        const spec = app.exposure!.ingress!;
        for (const host of hostsFor(DEFAULT_FLEET, spec.host, tenant.name, cluster)) {
          const vhost = vhostPatch(filter!, host);
          expect(vhost, `${host} on ${name}`).toBeDefined();
          const config = vhost!.typed_per_filter_config;
          if (spec.rateLimit) {
            const rl = config["envoy.filters.http.local_ratelimit"];
            // One bucket per client address, as nginx's limit_req zone keyed on $binary_remote_addr.
            expect(vhost!.rate_limits).toEqual([{ actions: [{ remote_address: {} }] }]);
            expect(rl.descriptors[0].entries).toEqual([{ key: "remote_address", value: "" }]);
            const bucket = rl.descriptors[0].token_bucket;
            expect(bucket).toEqual({
              tokens_per_fill: spec.rateLimit.requestsPerSecond,
              max_tokens: spec.rateLimit.burst ?? 5 * spec.rateLimit.requestsPerSecond,
              fill_interval: "1s",
            });
            expect(rl.filter_enabled.default_value.numerator).toBe(100);
            expect(rl.filter_enforced.default_value.numerator).toBe(100);
          } else {
            expect(config["envoy.filters.http.local_ratelimit"]).toBeUndefined();
          }
          if (spec.cors) {
            const cors = config["envoy.filters.http.cors"];
            expect(cors["@type"]).toBe("type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy");
            expect(cors.allow_methods.split(",")).toEqual(spec.cors.allowMethods);
            expect(cors.allow_headers.split(",")).toEqual(spec.cors.allowHeaders ?? ["Content-Type", "Authorization"]);
            expect(cors.allow_credentials).toBe(spec.cors.allowCredentials ?? false);
            expect(cors.allow_origin_string_match).toEqual(
              spec.cors.allowOrigins.map((o) => (o === "*" ? { safe_regex: { regex: ".*" } } : { exact: o })),
            );
          } else {
            expect(config["envoy.filters.http.cors"]).toBeUndefined();
          }
          const bytes = config["envoy.filters.http.buffer"]?.buffer.max_request_bytes;
          expect(bytes).toBe(spec.maxBodySize === undefined ? undefined : { "1Mi": 1048576, "10Mi": 10485760 }[spec.maxBodySize]);
        }
      }
      // The filters each host's config enables run before the router; the buffer is off unless a host enables it.
      const inserted = filter!.spec.configPatches.filter((p: Obj) => p.applyTo === "HTTP_FILTER");
      expect(inserted.map((p: Obj) => [p.patch.operation, p.match.listener.filterChain.filter.subFilter.name, p.patch.value.name])).toEqual(
        [
          ["INSERT_BEFORE", "envoy.filters.http.router", "envoy.filters.http.local_ratelimit"],
          ["INSERT_BEFORE", "envoy.filters.http.router", "envoy.filters.http.buffer"],
        ],
      );
      expect(inserted[1].patch.value.disabled).toBe(true);
      // No virtual host patch for a host without options: it keeps streaming and has no limit.
      const patched = filter!.spec.configPatches.filter((p: Obj) => p.applyTo === "VIRTUAL_HOST").length;
      expect(patched).toBe(
        withOptions.reduce((n, e) => n + hostsFor(DEFAULT_FLEET, e.app.exposure!.ingress!.host, e.tenant.name, cluster).length, 0),
      );
    },
  );

  it("writes no EnvoyFilter on a cluster where no exposed app declares an option", () => {
    const plain = (t: TenantSpec): TenantSpec => ({
      ...t,
      apps: t.apps.map(
        (a): AppSpec =>
          a.exposure?.ingress
            ? { ...a, exposure: { ...a.exposure, ingress: { host: a.exposure.ingress.host, paths: a.exposure.ingress.paths } } }
            : a,
      ),
    });
    const cluster = DEFAULT_FLEET.clusters[0]!;
    expect(
      buildEdgeFilters(
        DEFAULT_FLEET,
        cluster,
        TENANTS.map((t) => plain(t.spec)),
      ),
    ).toEqual([]);
    expect(
      buildEdgeFilters(
        DEFAULT_FLEET,
        cluster,
        TENANTS.map((t) => t.spec),
      ).length,
    ).toBe(1);
  });
});

describe("the EnvoyFilter under npm run check's schema", () => {
  it("validates as committed, and a misspelt field or an unknown applyTo is an issue", () => {
    const filter = edgeFilter("dev-usw2")!;
    expect(validateStrict(filter)).toEqual([]);
    const misspelt = structuredClone(filter);
    misspelt.spec.workloadSelectr = misspelt.spec.workloadSelector;
    expect(validateStrict(misspelt).map((i) => i.path)).toContain("/spec/workloadSelectr");
    const badApply = structuredClone(filter);
    badApply.spec.configPatches[0].applyTo = "VIRTUALHOST";
    expect(validateStrict(badApply).length).toBeGreaterThan(0);
  });
});
