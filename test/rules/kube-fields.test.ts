/**
 * Table tests of the per-field API-server and controller rules in generators/rules/, with
 * cases taken from the upstream tests named beside each table.
 */
import { describe, expect, it } from "vitest";
import { cronScheduleProblem } from "../../generators/rules/cron.js";
import { configMapKey, configMapSizeProblem, envVarName, mountPathProblems, relaxedEnvVarName } from "../../generators/rules/env.js";
import { goDurationProblem, istioDurationProblem, parseGoDuration, prometheusDurationProblem } from "../../generators/rules/duration.js";
import { cidrProblems, hostnameProblems, ingressPathProblems, ipBlockProblems } from "../../generators/rules/networking.js";
import {
  cronJobSpecProblems,
  hpaBoundsProblems,
  jobSpecProblems,
  rollingUpdateProblems,
  scalingRulesProblems,
} from "../../generators/rules/workloads.js";
import { calendarDateProblem, policyRuleProblems } from "../../generators/rules/rbac.js";

describe("cron schedules as robfig/cron's standard parser reads them (parser_test.go TestRange, TestStandardSpecSchedule, TestParseScheduleErrors)", () => {
  it.each([
    "5 * * * *",
    "*/5 * * * *",
    "0 2 * * *",
    "1,5-7/2,3 * * * *",
    "5-7/2 * * * *",
    "0 0 1 jan *",
    "0 0 * * MON-FRI",
    "0 0 ? * sun",
    "30 2 28 2 *",
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
    "@every 5m",
    "@every 1h30m",
  ])("accepts %s", (s) => {
    expect(cronScheduleProblem(s)).toBeUndefined();
  });

  it.each([
    ["", /empty spec string/],
    ["* * * *", /expected exactly 5 fields/],
    ["0 0 * * * *", /expected exactly 5 fields/],
    ["5 j * * *", /failed to parse int from j/],
    ["5--5 * * * *", /too many hyphens/],
    ["*/-12 * * * *", /negative number/],
    ["*//2 * * * *", /too many slashes/],
    ["*/0 * * * *", /should be a positive number/],
    ["60 * * * *", /above maximum \(59\)/],
    ["0 24 * * *", /above maximum \(23\)/],
    ["0 0 0 * *", /below minimum \(1\)/],
    ["0 0 32 * *", /above maximum \(31\)/],
    ["0 0 * 13 *", /above maximum \(12\)/],
    ["0 0 * * 7", /above maximum \(6\)/],
    ["0 5-3 * * *", /beyond end of range/],
    ["0 0 * jan-x *", /failed to parse int from x/],
    ["@every Xm", /failed to parse duration/],
    ["@unrecognized", /unrecognized descriptor/],
    ["@every 0s", /must be positive/],
    ["TZ=UTC 0 2 * * *", /use timeZone field instead/],
    ["CRON_TZ=Europe/Dublin @daily", /use timeZone field instead/],
  ])("refuses %j", (s, why) => {
    expect(cronScheduleProblem(s)).toMatch(why);
  });
});

describe("env var names, ConfigMap keys and mount paths (apimachinery validation_test.go TestIsEnvVarName, TestIsConfigMapKey; core validation_test.go TestValidateVolumeMounts)", () => {
  it.each(["A", "ABC", "AbC_123", "abc", "-", "a.b", "a-b", "_", "my.env-name", "MY_ENV.NAME", "MyEnvName1"])(
    "accepts env name %j",
    (n) => {
      expect(envVarName(n)).toEqual([]);
    },
  );
  it.each(["1ABC", "123", "a b", "a=b", "@", ".", "..", "..abc", "", "ÄBC"])("refuses env name %j", (n) => {
    expect(envVarName(n).length).toBeGreaterThan(0);
  });
  it("the relaxed rule of Kubernetes 1.32+ admits printable ASCII but '='", () => {
    expect(relaxedEnvVarName("1 A")).toEqual([]);
    expect(relaxedEnvVarName("A=B")).not.toEqual([]);
    expect(relaxedEnvVarName("")).not.toEqual([]);
  });
  it.each(["a", "A", "-", "_", ".a", "a.b", "a-b", "0", "config.yaml", "a".repeat(253)])("accepts ConfigMap key %j", (k) => {
    expect(configMapKey(k)).toEqual([]);
  });
  it.each([".", "..", "..a", "a/b", "a b", "a:b", "", "a".repeat(254)])("refuses ConfigMap key %j", (k) => {
    expect(configMapKey(k).length).toBeGreaterThan(0);
  });
  it("limits a ConfigMap's data to 1 MiB in total", () => {
    expect(configMapSizeProblem(["x".repeat(1024 * 1024)])).toBeUndefined();
    expect(configMapSizeProblem(["x".repeat(1024 * 1024), "y"])).toMatch(/1048577 bytes; must have at most 1048576/);
  });
  it("refuses a mount path used twice in one container", () => {
    expect(mountPathProblems(["/data", "/tmp", "/data"])).toEqual([{ index: 2, message: expect.stringMatching(/must be unique/) }]);
    expect(mountPathProblems(["", "/a"])).toEqual([{ index: 0, message: "mountPath is required" }]);
  });
});

describe("rolling updates, Jobs, CronJobs and HPAs (apps, batch and autoscaling validation_test.go)", () => {
  it.each([
    [1, 0],
    ["25%", 0],
    [0, "25%"],
    ["0%", 1],
    [0, "100%"],
  ])("accepts maxSurge %j with maxUnavailable %j", (s, u) => {
    expect(rollingUpdateProblems(s, u)).toEqual([]);
  });
  it.each([
    [0, 0, /may not be 0 when `maxSurge` is 0/],
    ["0%", "0%", /may not be 0/],
    [1, "101%", /must not be greater than 100%/],
    ["2", 0, /a valid percent string/],
    [-1, 0, /greater than or equal to 0/],
    [1.5, 0, /whole number/],
  ])("refuses maxSurge %j with maxUnavailable %j", (s, u, why) => {
    expect(
      rollingUpdateProblems(s, u)
        .map((p) => p.message)
        .join("; "),
    ).toMatch(why);
  });
  it("applies validateJobSpec's bounds", () => {
    expect(
      jobSpecProblems({ backoffLimit: 0, activeDeadlineSeconds: 1, completions: 1, parallelism: 0, ttlSecondsAfterFinished: 0 }),
    ).toEqual([]);
    expect(jobSpecProblems({ backoffLimit: -1, activeDeadlineSeconds: 0, ttlSecondsAfterFinished: -1 }).map((p) => p.field)).toEqual([
      "backoffLimit",
      "activeDeadlineSeconds",
      "ttlSecondsAfterFinished",
    ]);
  });
  it("applies ValidateCronJobSpec's concurrency policy, limits and time zone", () => {
    expect(cronJobSpecProblems({ concurrencyPolicy: "Forbid", timeZone: "Etc/UTC", startingDeadlineSeconds: 600 })).toEqual([]);
    expect(
      cronJobSpecProblems({ concurrencyPolicy: "Never", timeZone: "Mars/Olympus", successfulJobsHistoryLimit: -1 }).map((p) => p.field),
    ).toEqual(["concurrencyPolicy", "successfulJobsHistoryLimit", "timeZone"]);
  });
  it("bounds HPA behavior like validateBehavior (stabilization 0-3600 s, periods 1-1800 s)", () => {
    expect(
      scalingRulesProblems("scaleUp", {
        stabilizationWindowSeconds: 3600,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 4, periodSeconds: 1800 }],
      }),
    ).toEqual([]);
    expect(
      scalingRulesProblems("scaleDown", {
        stabilizationWindowSeconds: 3601,
        selectPolicy: "Maximum",
        policies: [{ type: "Count", value: 0, periodSeconds: 1801 }],
      }).map((p) => p.field),
    ).toEqual([
      "scaleDown.stabilizationWindowSeconds",
      "scaleDown.selectPolicy",
      "scaleDown.policies[0].type",
      "scaleDown.policies[0].value",
      "scaleDown.policies[0].periodSeconds",
    ]);
    expect(hpaBoundsProblems(3, 2)).toEqual([expect.objectContaining({ field: "maxReplicas" })]);
    expect(hpaBoundsProblems(0, 2)).toEqual([expect.objectContaining({ field: "minReplicas" })]);
  });
});

describe("Ingress paths, CIDRs and host names (networking validation_test.go TestValidateIngress paths, TestValidateNetworkPolicy ipBlock)", () => {
  it.each([
    ["/", "Prefix"],
    ["/foo", "Exact"],
    ["/foo/bar-baz_1.2~", "Prefix"],
    ["foo", "ImplementationSpecific"],
    ["/foo/(.*)", "ImplementationSpecific"],
  ])("accepts %s with pathType %s", (p, t) => {
    expect(ingressPathProblems(p, t)).toEqual([]);
  });
  it.each([
    ["foo", "Prefix", /must be an absolute path/],
    ["/foo//bar", "Exact", /must not contain '\/\/'/],
    ["/foo/./bar", "Prefix", /must not contain '\/\.\/'/],
    ["/foo/../bar", "Prefix", /must not contain '\/\.\.\/'/],
    ["/foo%2fbar", "Prefix", /must not contain '%2f'/],
    ["/foo/..", "Prefix", /cannot end with '\/\.\.'/],
    ["/foo/.", "Exact", /cannot end with '\/\.'/],
    ["/api/(.*)", "Prefix", /ingress-nginx refuses/],
  ])("refuses %s with pathType %s", (p, t, why) => {
    expect(ingressPathProblems(p, t).join("; ")).toMatch(why);
  });
  it.each(["10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0", "169.254.169.254/32", "2001:db8::/64", "::/0", "fd00::/8"])(
    "accepts CIDR %s",
    (c) => {
      expect(cidrProblems(c)).toEqual([]);
    },
  );
  it.each(["10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "010.0.0.0/8", "10.0.0/8", "2001:db8::/129", "abc", "10.0.0.1/8"])(
    "refuses CIDR %s",
    (c) => {
      expect(cidrProblems(c).length).toBeGreaterThan(0);
    },
  );
  it("requires every except to be a strict subset of cidr", () => {
    expect(ipBlockProblems("0.0.0.0/0", ["169.254.169.254/32", "10.0.0.0/8"])).toEqual([]);
    expect(ipBlockProblems("10.0.0.0/8", ["192.168.0.0/16"]).map((p) => p.message)).toEqual(["must be a strict subset of `cidr`"]);
    expect(ipBlockProblems("10.0.0.0/8", ["10.0.0.0/8"]).map((p) => p.message)).toEqual(["must be a strict subset of `cidr`"]);
  });
  it("refuses a host with a trailing dot", () => {
    expect(hostnameProblems("api.example.com")).toEqual([]);
    expect(hostnameProblems("api.example.com.")[0]).toMatch(/must not end with '\.'/);
    expect(hostnameProblems("API.example.com").length).toBeGreaterThan(0);
  });
});

describe("durations: Go's time.ParseDuration (time/time_test.go parseDurationTests), Istio's and Prometheus'", () => {
  it.each([
    ["0", 0],
    ["5s", 5e9],
    ["30s", 30e9],
    ["1478s", 1478e9],
    ["-5s", -5e9],
    ["+5s", 5e9],
    ["5.0s", 5e9],
    ["5.6s", 5.6e9],
    ["5.s", 5e9],
    [".5s", 0.5e9],
    ["10ns", 10],
    ["11us", 11e3],
    ["12µs", 12e3],
    ["13ms", 13e6],
    ["15m", 900e9],
    ["16h", 16 * 3600e9],
    ["3h30m", 3.5 * 3600e9],
    ["1h2m3s4ms5us6ns", 3723004005006],
  ])("parses %s", (text, nanos) => {
    const d = parseGoDuration(text);
    expect("nanos" in d && Math.round(d.nanos)).toBe(nanos);
  });
  it.each(["", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1 h", "1hh"])("refuses %j", (text) => {
    expect("error" in parseGoDuration(text)).toBe(true);
  });
  it("external-secrets' refreshInterval is a non-negative Go duration", () => {
    expect(goDurationProblem("1h")).toBeUndefined();
    expect(goDurationProblem("0")).toBeUndefined();
    expect(goDurationProblem("1d")).toMatch(/unknown unit "d"/);
    expect(goDurationProblem("-1h")).toMatch(/negative/);
  });
  it("Istio durations are at least 1ms, to the millisecond", () => {
    expect(istioDurationProblem("10s")).toBeUndefined();
    expect(istioDurationProblem("500ms")).toBeUndefined();
    expect(istioDurationProblem("0s")).toMatch(/greater than 1ms/);
    expect(istioDurationProblem("1500us")).toMatch(/ms precision/);
    expect(istioDurationProblem("10 s")).toMatch(/unknown unit " s"/);
  });
  it("Prometheus durations (prometheus/common model time_test.go)", () => {
    for (const ok of ["0", "30s", "1m30s", "5m", "1h", "2d", "1w", "1y", "100ms"]) expect(prometheusDurationProblem(ok)).toBeUndefined();
    for (const bad of ["", "1.5m", "30 s", "1s1m", "1hh", "-1s"]) expect(prometheusDurationProblem(bad)).toBeDefined();
  });
});

describe("RBAC rules that grant nothing, calendar dates", () => {
  it("accepts a rule whose group serves its resources", () => {
    expect(policyRuleProblems({ apiGroups: [""], resources: ["configmaps", "pods"], verbs: ["get", "list"] })).toEqual([]);
    expect(policyRuleProblems({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] })).toEqual([]);
  });
  it("refuses resources outside the rule's groups, unknown groups and verbs", () => {
    expect(policyRuleProblems({ apiGroups: ["apps"], resources: ["configmaps"], verbs: ["get"] })).toEqual([
      expect.objectContaining({
        field: "resources",
        value: "configmaps",
        message: expect.stringMatching(/grants nothing; it belongs to api group ""/),
      }),
    ]);
    expect(policyRuleProblems({ apiGroups: ["core"], resources: ["pods"], verbs: ["read"] }).map((p) => p.field)).toEqual([
      "verbs",
      "apiGroups",
      "resources",
    ]);
  });
  it("refuses dates that do not exist", () => {
    expect(calendarDateProblem("2027-01-31")).toBeUndefined();
    expect(calendarDateProblem("2028-02-29")).toBeUndefined();
    expect(calendarDateProblem("2027-02-29")).toMatch(/month 2 of 2027 has 28 days/);
    expect(calendarDateProblem("2027-04-31")).toMatch(/30 days/);
    expect(calendarDateProblem("2027-13-01")).toMatch(/months run 01-12/);
    expect(calendarDateProblem("31/01/2027")).toMatch(/YYYY-MM-DD/);
  });
});
