/**
 * The admission evaluator follows the API server's ValidatingAdmissionPolicy semantics
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating/, KEP-3488), with real CEL.
 */
import { describe, expect, it } from "vitest";
import {
  admit,
  type AdmissionRequest,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyBinding,
} from "../../generators/check/admission/evaluate.js";
import { evaluate, toCel } from "../../generators/check/admission/cel.js";
import { resourceOf } from "../../generators/check/admission/match.js";

const ns = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } },
});
const user = { username: "system:serviceaccount:argocd:argocd-application-controller", groups: ["system:authenticated"] };

function deployment(name: string, image: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "team", labels },
    spec: { replicas: 2, template: { spec: { containers: [{ name: "c", image }] } } },
  };
}

const create = (
  object: Record<string, unknown>,
  namespaceObject: Record<string, unknown> | null = ns("team", { tier: "tenant" }),
): AdmissionRequest => ({
  operation: "CREATE",
  object,
  oldObject: null,
  namespaceObject,
  userInfo: user,
});

function policy(spec: Partial<ValidatingAdmissionPolicy["spec"]> = {}): ValidatingAdmissionPolicy {
  return {
    metadata: { name: "p" },
    spec: {
      matchConstraints: {
        namespaceSelector: { matchLabels: { tier: "tenant" } },
        resourceRules: [{ apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments"], operations: ["CREATE", "UPDATE"] }],
      },
      variables: [
        { name: "images", expression: "object.spec.template.spec.containers.map(c, c.image)" },
        { name: "bad", expression: "variables.images.filter(i, !i.startsWith('registry.example/'))" },
      ],
      validations: [{ expression: "variables.bad.size() == 0", messageExpression: "'bad images: ' + variables.bad.join(', ')" }],
      ...spec,
    },
  };
}

const binding = (
  actions: ValidatingAdmissionPolicyBinding["spec"]["validationActions"] = ["Deny"],
  extra: Partial<ValidatingAdmissionPolicyBinding["spec"]> = {},
): ValidatingAdmissionPolicyBinding => ({
  metadata: { name: "b" },
  spec: { policyName: "p", validationActions: actions, ...extra },
});

describe("CEL binding of JSON", () => {
  it("binds integers as int and objects as maps with field selection and has()", () => {
    expect(evaluate("object.spec.replicas == 2 && type(object.spec.replicas) == int", { object: toCel(deployment("a", "x")) })).toEqual({
      ok: true,
      value: true,
    });
    expect(evaluate("has(object.spec.paused)", { object: toCel(deployment("a", "x")) })).toEqual({ ok: true, value: false });
    const missing = evaluate("object.spec.paused", { object: toCel(deployment("a", "x")) });
    expect(missing.ok).toBe(false);
  });

  it("reports a syntax error instead of a value", () => {
    expect(evaluate("object.spec.(", { object: null }).ok).toBe(false);
  });
});

describe("matchConstraints and the binding's matchResources", () => {
  it("guesses resources from kinds as the REST mapper does", () => {
    expect(["Ingress", "NetworkPolicy", "Deployment", "Gateway", "Certificate"].map(resourceOf)).toEqual([
      "ingresses",
      "networkpolicies",
      "deployments",
      "gateways",
      "certificates",
    ]);
  });

  it("evaluates a request its resourceRules and namespaceSelector match, and denies a violation", () => {
    const out = admit(policy(), binding(), create(deployment("a", "evil.example/x:1")));
    expect(out.applies).toBe(true);
    expect(out.denied.map((v) => v.message)).toEqual(["bad images: evil.example/x:1"]);
    expect(admit(policy(), binding(), create(deployment("a", "registry.example/x:1"))).denied).toEqual([]);
  });

  it("skips a namespace the namespaceSelector does not select", () => {
    const out = admit(policy(), binding(), create(deployment("a", "evil.example/x:1"), ns("other", { tier: "system" })));
    expect(out).toEqual({ applies: false, denied: [], warnings: [], audited: [] });
  });

  it("skips kinds, groups and operations outside resourceRules, and what excludeResourceRules names", () => {
    const sts = { ...deployment("a", "evil.example/x"), kind: "StatefulSet" };
    expect(admit(policy(), binding(), create(sts)).applies).toBe(false);
    const del: AdmissionRequest = {
      ...create(deployment("a", "evil.example/x")),
      operation: "DELETE",
      oldObject: deployment("a", "evil.example/x"),
      object: null,
    };
    expect(admit(policy(), binding(), del).applies).toBe(false);
    const p = policy();
    p.spec.matchConstraints!.excludeResourceRules = [
      { apiGroups: ["apps"], apiVersions: ["*"], resources: ["deployments"], operations: ["*"], resourceNames: ["a"] },
    ];
    expect(admit(p, binding(), create(deployment("a", "evil.example/x"))).applies).toBe(false);
    expect(admit(p, binding(), create(deployment("b", "evil.example/x"))).denied).toHaveLength(1);
  });

  it("matches cluster-scoped objects regardless of namespaceSelector, and a Namespace by its own labels", () => {
    const p = policy({
      matchConstraints: {
        namespaceSelector: { matchLabels: { tier: "tenant" } },
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces"], operations: ["CREATE"] }],
      },
      variables: [],
      validations: [{ expression: "false", message: "no" }],
    });
    expect(admit(p, binding(), create(ns("x", { tier: "tenant" }), null)).denied).toHaveLength(1);
    expect(admit(p, binding(), create(ns("y", { tier: "system" }), null)).applies).toBe(false);
  });

  it("narrows to the binding's matchResources, and ignores a binding of another policy", () => {
    const narrowed = binding(["Deny"], { matchResources: { objectSelector: { matchLabels: { guarded: "yes" } } } });
    expect(admit(policy(), narrowed, create(deployment("a", "evil.example/x"))).applies).toBe(false);
    expect(admit(policy(), narrowed, create(deployment("a", "evil.example/x", { guarded: "yes" }))).denied).toHaveLength(1);
    expect(
      admit(policy(), { ...binding(), spec: { ...binding().spec, policyName: "q" } }, create(deployment("a", "evil.example/x"))).applies,
    ).toBe(false);
  });
});

describe("matchConditions, variables, validations and failurePolicy", () => {
  it("skips the policy when a matchCondition is false", () => {
    const p = policy({ matchConditions: [{ name: "big", expression: "object.spec.replicas > 5" }] });
    expect(admit(p, binding(), create(deployment("a", "evil.example/x"))).applies).toBe(false);
  });

  it("treats a matchCondition error as a failure: denied under Fail, admitted under Ignore", () => {
    const broken = [{ name: "broken", expression: "object.spec.nope > 1" }];
    expect(admit(policy({ matchConditions: broken }), binding(), create(deployment("a", "registry.example/x"))).denied[0]?.failure).toBe(
      true,
    );
    expect(
      admit(policy({ matchConditions: broken, failurePolicy: "Ignore" }), binding(), create(deployment("a", "registry.example/x"))).denied,
    ).toEqual([]);
  });

  it("fails a validation that reads a variable whose evaluation failed, and only that one", () => {
    const p = policy({
      variables: [{ name: "broken", expression: "object.spec.nope" }],
      validations: [
        { expression: "true", message: "fine" },
        { expression: "variables.broken == 1", message: "uses broken" },
      ],
    });
    const out = admit(p, binding(), create(deployment("a", "registry.example/x")));
    expect(out.denied).toHaveLength(1);
    expect(out.denied[0]?.failure).toBe(true);
  });

  it("reports the message, else 'failed expression', and a messageExpression over the default", () => {
    const p = policy({
      variables: [],
      validations: [{ expression: "object.metadata.name == 'ok'" }, { expression: "false", message: "static" }],
    });
    expect(admit(p, binding(), create(deployment("a", "x"))).denied.map((v) => v.message)).toEqual([
      "failed expression: object.metadata.name == 'ok'",
      "static",
    ]);
  });

  it("enforces violations by the binding's validationActions: Deny rejects, Warn and Audit only report", () => {
    const bad = create(deployment("a", "evil.example/x"));
    expect(admit(policy(), binding(["Warn", "Audit"]), bad)).toMatchObject({
      denied: [],
      warnings: [{ message: "bad images: evil.example/x" }],
      audited: [{ message: "bad images: evil.example/x" }],
    });
    expect(admit(policy(), binding(["Deny", "Audit"]), bad).denied).toHaveLength(1);
  });

  it("binds request, namespaceObject and oldObject for expressions", () => {
    const p = policy({
      variables: [],
      validations: [
        {
          expression:
            "request.operation == 'UPDATE' && oldObject.spec.replicas == 2 && namespaceObject.metadata.name == 'team' && request.userInfo.username.startsWith('system:serviceaccount:argocd:')",
        },
      ],
    });
    const req: AdmissionRequest = { ...create(deployment("a", "x")), operation: "UPDATE", oldObject: deployment("a", "x") };
    expect(admit(p, binding(), req).denied).toEqual([]);
  });

  it("refuses to pass a policy with parameters it cannot resolve", () => {
    const out = admit(
      policy({ paramKind: { apiVersion: "v1", kind: "ConfigMap" } }),
      binding(),
      create(deployment("a", "registry.example/x")),
    );
    expect(out.denied[0]?.failure).toBe(true);
  });
});
