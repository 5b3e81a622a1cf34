/**
 * Name rules against the cases of upstream's own tests:
 * kubernetes/apimachinery pkg/util/validation/validation_test.go (TestIsDNS1123Label,
 * TestIsDNS1123Subdomain, TestIsDNS1035Label, TestIsValidPortName) and
 * pkg/api/validate/content/kube_test.go (TestIsLabelKey, TestIsLabelValue).
 */
import { describe, expect, it } from "vitest";
import {
  derivedNameProblems,
  didYouMean,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelKey,
  labelValue,
  portName,
  reservedNamespace,
} from "../../generators/rules/names.js";

const a = (n: number): string => "a".repeat(n);

const cases: { rule: string; fn: (v: string) => string[]; good: string[]; bad: string[] }[] = [
  {
    rule: "DNS-1123 label",
    fn: dns1123Label,
    good: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", a(63)],
    bad: [
      "",
      "A",
      "ABC",
      "aBc",
      "A1",
      "A-1",
      "1-A",
      "-",
      "a-",
      "-a",
      "1-",
      "-1",
      "_",
      "a_",
      "_a",
      "a_b",
      "1_",
      "_1",
      "1_2",
      ".",
      "a.",
      ".a",
      "a.b",
      "1.",
      ".1",
      "1.2",
      " ",
      "a ",
      " a",
      "a b",
      "1 ",
      " 1",
      "1 2",
      a(64),
    ],
  },
  {
    rule: "DNS-1123 subdomain",
    fn: dns1123Subdomain,
    good: [
      "a",
      "ab",
      "a--1--2--b",
      "0",
      "1--a--b--2",
      "a.a",
      "a--1--2--b.a",
      "a.1",
      "0.a",
      "0.1",
      "a.b.c.d.e",
      "aa.bb.cc.dd.ee",
      "1.2.3.4.5",
      "11.22.33.44.55",
      a(253),
    ],
    bad: [
      "",
      "A",
      "aBc",
      "-",
      "a-",
      "-a",
      "_",
      "a_b",
      ".",
      "a.",
      ".a",
      "a..b",
      "1..2",
      " ",
      "a b",
      "A.a",
      "ab.A",
      "0.A",
      "A.B.C.D.E",
      "a.B.c.d.e",
      "a@b",
      "a,b",
      "a;b",
      "a:b",
      "a%b",
      "a?b",
      "a$b",
      a(254),
    ],
  },
  {
    rule: "DNS-1035 label",
    fn: dns1035Label,
    good: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", a(63)],
    bad: ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "aBc", "-", "a-", "-a", "_", "a_b", ".", "a.b", " ", "a b", a(64)],
  },
  {
    rule: "port name (IANA_SVC_NAME)",
    fn: portName,
    good: ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"],
    bad: ["longerthan15characters", "", a(16), "12345", "1-2-3-4", "-begin", "end-", "two--hyphens", "whois++"],
  },
  {
    rule: "label key",
    fn: labelKey,
    good: [
      "simple",
      "now-with-dashes",
      "1-starts-with-num",
      "1234",
      "simple/simple",
      "now-with-dashes/simple",
      "now.with.dots/simple",
      "1-num.2-num/3-num",
      "1234/5678",
      "1.2.3.4/5678",
      "Uppercase_Is_OK_123",
      "example.com/Uppercase_Is_OK_123",
      "requests.storage-foo",
      a(63),
      `${a(253)}/${"b".repeat(63)}`,
    ],
    bad: [
      "nospecialchars%^=@",
      "cantendwithadash-",
      "-cantstartwithadash-",
      "only/one/slash",
      "Example.com/abc",
      "example_com/abc",
      "example.com/",
      "/simple",
      a(64),
      `${a(254)}/abc`,
    ],
  },
  {
    rule: "label value",
    fn: labelValue,
    good: ["", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "Uppercase_Is_OK_123", a(63)],
    bad: [
      "nospecialchars%^=@",
      "Tama-nui-te-rā.is.Māori.sun",
      "\\backslashes\\are\\bad",
      "-starts-with-dash",
      "ends-with-dash-",
      ".starts.with.dot",
      "ends.with.dot.",
      a(64),
    ],
  },
];

describe("Kubernetes name rules, with upstream's test cases", () => {
  for (const c of cases) {
    it(`accepts what the API server accepts as a ${c.rule}`, () => {
      for (const v of c.good) expect([v, c.fn(v)]).toEqual([v, []]);
    });
    it(`rejects what the API server rejects as a ${c.rule}`, () => {
      for (const v of c.bad) expect(c.fn(v).length, v).toBeGreaterThan(0);
    });
  }

  it("limits names controllers derive from: CronJob 52, StatefulSet pods, revisions and claims", () => {
    expect(derivedNameProblems("CronJob", a(52), 1, [])).toEqual([]);
    expect(derivedNameProblems("CronJob", a(53), 1, [])[0]?.problems[0]).toMatch(/no more than 52/);
    expect(derivedNameProblems("Job", a(64), 1, [])[0]?.what).toBe("Job name");
    expect(derivedNameProblems("StatefulSet", a(52), 3, ["data"])).toEqual([]);
    expect(derivedNameProblems("StatefulSet", a(53), 3, []).map((d) => d.what)).toEqual(["StatefulSet name"]);
    // A 61-character StatefulSet with 10 replicas: pod "<name>-9" is 63, "<name>-10" would be 64.
    expect(derivedNameProblems("StatefulSet", a(61), 11, []).map((d) => d.what)).toContain("StatefulSet pod name (also its hostname)");
    expect(derivedNameProblems("StatefulSet", "db", 1, [a(260)]).map((d) => d.what)).toEqual(["PersistentVolumeClaim name"]);
  });

  it("reserves kube-*, default and Argo CD's namespace", () => {
    expect(reservedNamespace("kube-system", "argocd")).toMatch(/Kubernetes/);
    expect(reservedNamespace("kube-public", "argocd")).toBeDefined();
    expect(reservedNamespace("default", "argocd")).toBeDefined();
    expect(reservedNamespace("argocd", "argocd")).toMatch(/Argo CD/);
    expect(reservedNamespace("uiota", "argocd")).toBeUndefined();
    expect(reservedNamespace("kubeflow", "argocd")).toBeUndefined();
  });

  it("suggests the closest known name for a typo, and nothing for an unrelated word", () => {
    expect(didYouMean("gpu", ["gpus", "image", "ports"])).toBe("gpus");
    expect(didYouMean("ingres", ["ingress", "egressTo", "externalPorts"])).toBe("ingress");
    expect(didYouMean("zzzzzzzz", ["gpus", "image"])).toBeUndefined();
  });
});
