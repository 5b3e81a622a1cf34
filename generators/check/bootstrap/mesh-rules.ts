/** Bootstrap-closure rules of the mesh: istio-cni for injected restricted pods, gateway workloads and their credentials, mesh identities. */
import { LABELS, ISTIO_INJECTION_LABEL } from "../../fleet/constants.js";
import type { GatewayWorkload } from "../../addons/provides.js";
import { arr, groupOf, kindOf, labelsOf, mapSelectorMatches, namespaceOf, obj, objs, str, strMap, type Obj } from "../policy/util.js";
import { before, namespaceLabels, podTemplate, type ClusterPlan, type Part } from "./plan.js";
import { hit, located, provided, type BootstrapRule } from "./hits.js";
import { tlsSecretOf } from "../policy/tls.js";

/** Pods that the sidecar injector would inject, in their namespace. */
function injected(plan: ClusterPlan, o: Obj): boolean {
  const t = podTemplate(o);
  if (!t) return false;
  const podLabels = labelsOf(t);
  if (podLabels[LABELS.istioInject] === "false") return false;
  return namespaceLabels(plan, namespaceOf(o))[ISTIO_INJECTION_LABEL] === "enabled" || podLabels[LABELS.istioInject] === "true";
}

const istioCniRule: BootstrapRule = {
  id: "bootstrap-istio-cni",
  description:
    "Injected pods in a Pod Security `restricted` namespace need istio-cni (and istiod configured for it), installed strictly earlier: istio-init needs NET_ADMIN and NET_RAW.",
  fix: "Install istio-cni in an earlier wave and set istiod's pilot.cni.enabled, or stop injecting into the restricted namespace.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (!injected(plan, o)) return [];
      if (namespaceLabels(plan, namespaceOf(o))[LABELS.podSecurityEnforce] !== "restricted") return [];
      const earlier = before(plan, part.wave);
      const cni = earlier.some((p) => p.provides.istioCni === true);
      const injector = earlier.find((p) => p.provides.sidecarInjection !== undefined);
      if (cni && injector?.provides.sidecarInjection?.cni === true) return [];
      const missing = [
        ...(cni ? [] : ["the istio-cni node agent"]),
        ...(injector?.provides.sidecarInjection?.cni === true ? [] : ["istiod with pilot.cni.enabled"]),
      ];
      return [
        hit(
          part,
          o,
          "spec.template",
          `injected into restricted namespace ${namespaceOf(o)} without ${missing.join(" and ")} before wave ${part.wave}: istio-init (NET_ADMIN, NET_RAW) is rejected by Pod Security`,
        ),
      ];
    }),
};

/** The Istio Gateways of the plan, each with the gateway workloads installed before its wave that its selector matches. */
function istioGateways(plan: ClusterPlan): { part: Part; o: Obj; selector: Record<string, string>; workloads: GatewayWorkload[] }[] {
  return located(plan).flatMap(({ part, o }) => {
    if (kindOf(o) !== "Gateway" || groupOf(str(o.apiVersion) ?? "") !== "networking.istio.io") return [];
    const selector = strMap(obj(o.spec).selector);
    const workloads = provided(before(plan, part.wave), (p) => p.gatewayWorkloads)
      .map((w) => w.item)
      .filter((w) => mapSelectorMatches(selector, { ...w.labels }));
    return [{ part, o, selector, workloads }];
  });
}

const gatewayRule: BootstrapRule = {
  id: "bootstrap-gateway-workload",
  description: "Every Istio Gateway's selector matches a gateway workload installed strictly earlier.",
  fix: "Install an Istio ingress gateway whose pod labels the Gateway selects, in an earlier wave.",
  check: (plan) =>
    istioGateways(plan).flatMap(({ part, o, selector, workloads }) =>
      workloads.length > 0
        ? []
        : [
            hit(
              part,
              o,
              "spec.selector",
              `no gateway workload with labels ${JSON.stringify(selector)} before wave ${part.wave}: the Gateway configures nothing`,
            ),
          ],
    ),
};

const gatewayCredentialRule: BootstrapRule = {
  id: "bootstrap-gateway-credential",
  description:
    "Every TLS credentialName of an Istio Gateway is issued (a cert-manager Certificate with that secretName, or an ExternalSecret reading one another cluster publishes) in the namespace of each gateway workload it selects, strictly earlier: Istio reads the Secret there, not in the Gateway's namespace.",
  fix: "Issue the certificate in the gateway workload's namespace (the platform does, generators/builders/istio.ts buildGatewayCertificates) and name it in the Gateway.",
  check: (plan) =>
    istioGateways(plan).flatMap(({ part, o, workloads }) => {
      const earlier = before(plan, part.wave);
      const namespaces = [...new Set(workloads.map((w) => w.namespace))];
      const issued = (ns: string, secret: string): boolean =>
        earlier.some((p) =>
          p.objects.some((c) => {
            // A Certificate, or an ExternalSecret reading one another cluster issued (policy/tls.ts).
            const tls = tlsSecretOf(c as Obj);
            return tls !== undefined && tls.namespace === ns && tls.secretName === secret;
          }),
        );
      return objs(obj(o.spec).servers).flatMap((server, i) => {
        const secret = str(obj(server.tls).credentialName);
        if (secret === undefined) return [];
        return namespaces
          .filter((ns) => !issued(ns, secret))
          .map((ns) =>
            hit(
              part,
              o,
              `spec.servers[${i}].tls.credentialName`,
              `${secret} is read from the gateway's namespace ${ns}, where nothing issues it before wave ${part.wave}: the HTTPS listener has no certificate (istio/istio pkg/config/analysis/analyzers/gateway/secret.go: the credential is looked up in the namespace of the gateway workload's pods; istio.io docs/tasks/traffic-management/ingress/secure-ingress)`,
            ),
          );
      });
    }),
};

/** Namespaces an AuthorizationPolicy admits callers from: `source.namespaces` and the namespaces of `source.principals`. */
function sourceNamespaces(ap: Obj): { path: string; namespace: string }[] {
  const out: { path: string; namespace: string }[] = [];
  objs(obj(ap.spec).rules).forEach((r, ri) => {
    objs(r.from).forEach((f, fi) => {
      const src = obj(f.source);
      for (const n of arr(src.namespaces))
        if (typeof n === "string") out.push({ path: `spec.rules[${ri}].from[${fi}].source.namespaces`, namespace: n });
      for (const p of arr(src.principals)) {
        const m = typeof p === "string" ? /^[^/]+\/ns\/([^/]+)\/sa\//.exec(p) : null;
        if (m?.[1]) out.push({ path: `spec.rules[${ri}].from[${fi}].source.principals`, namespace: m[1] });
      }
    });
  });
  return out;
}

const meshIdentityRule: BootstrapRule = {
  id: "bootstrap-mesh-identity",
  description:
    "An AuthorizationPolicy admits callers by namespace or principal only from namespaces whose workloads carry a mesh identity (injected, or a gateway), provided strictly earlier or by the same wave's tenant itself.",
  fix: "Mesh the calling namespace (sidecar injection, e.g. ingress-nginx) or route the traffic through the Istio ingress gateway.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "AuthorizationPolicy") return [];
      const meshed = (ns: string): boolean =>
        namespaceLabels(plan, ns)[ISTIO_INJECTION_LABEL] === "enabled" ||
        plan.parts.some((p) => (p.wave < part.wave || p === part) && (p.provides.meshedNamespaces ?? []).includes(ns));
      return sourceNamespaces(o)
        .filter((s) => !meshed(s.namespace))
        .map((s) =>
          hit(
            part,
            o,
            s.path,
            `admits callers from namespace ${s.namespace}, whose workloads have no mesh identity: under mTLS the rule never matches (source.namespaces and principals need mTLS)`,
          ),
        );
    }),
};

export const MESH_RULES: readonly BootstrapRule[] = [istioCniRule, gatewayRule, gatewayCredentialRule, meshIdentityRule];
