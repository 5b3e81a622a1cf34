/**
 * What cert-manager orders, from the objects that make it order: a Certificate, and through the
 * certificate shims an annotated Ingress or Gateway (cert-manager pkg/controller/certificate-shim:
 * helper.go for the annotations, sync.go buildCertificates, handleGatewayAPIListeners and the
 * validate*Block functions for which TLS blocks and listeners it skips; read at 2d0d7f7). One
 * model for the health simulation (which Secrets exist, which issuers and solvers a name needs)
 * and for the fleet's certificate-ownership rule.
 */
import { CERT_MANAGER_SHIM } from "../../fleet/constants.js";
import { arr, kindOf, obj, objs, str, type Obj } from "../policy/util.js";

export interface CertificateOrder {
  issuerKind: "Issuer" | "ClusterIssuer";
  issuer: string;
  dnsNames: string[];
  /** The Secret the issued certificate lands in, in the object's namespace. */
  secretName: string | undefined;
  path: string;
}

const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === "string");

/** An FQDN common name is one more DNS identifier of the ACME order (cert-manager pkg/controller/acmeorders/sync.go). */
function withCommonName(dnsNames: string[], cn: string | undefined): string[] {
  return cn !== undefined && !dnsNames.includes(cn) && !/^[\d.:]+$/.test(cn) ? [...dnsNames, cn] : dnsNames;
}

/** Every certificate an object makes cert-manager order. */
export function ordersOf(o: Obj): CertificateOrder[] {
  if (kindOf(o) === "Certificate") {
    const spec = obj(o.spec);
    const ref = obj(spec.issuerRef);
    const issuerKind = str(ref.kind) === "ClusterIssuer" ? "ClusterIssuer" : "Issuer";
    const dnsNames = withCommonName(strs(spec.dnsNames), str(spec.commonName));
    return [{ issuerKind, issuer: str(ref.name) ?? "", dnsNames, secretName: str(spec.secretName), path: "spec.issuerRef" }];
  }
  const gateway = kindOf(o) === "Gateway" && str(o.apiVersion)?.startsWith("gateway.networking.k8s.io/") === true;
  if (kindOf(o) !== "Ingress" && !gateway) return [];
  const a = obj(obj(o.metadata).annotations);
  const cluster = str(a[CERT_MANAGER_SHIM.clusterIssuer]);
  const namespaced = str(a[CERT_MANAGER_SHIM.issuer]);
  if (cluster === undefined && namespaced === undefined) return [];
  const issuer = {
    issuerKind: cluster !== undefined ? ("ClusterIssuer" as const) : ("Issuer" as const),
    issuer: cluster ?? namespaced ?? "",
  };
  if (!gateway)
    // validateIngressTLSBlock: a block without hosts or without a secretName is skipped.
    return objs(obj(o.spec).tls).flatMap((t, i) => {
      const hosts = strs(t.hosts);
      const secretName = str(t.secretName);
      return hosts.length > 0 && secretName ? [{ ...issuer, dnsNames: hosts, secretName, path: `spec.tls[${i}]` }] : [];
    });
  const ignored = (str(a[CERT_MANAGER_SHIM.ignoreTlsListeners]) ?? "").split(",").map((n) => n.trim());
  const namespace = str(obj(o.metadata).namespace);
  return objs(obj(o.spec).listeners).flatMap((l, i) => {
    const tls = obj(l.tls);
    const hostname = str(l.hostname);
    const refs = objs(tls.certificateRefs);
    // handleGatewayAPIListeners: HTTPS or TLS listeners, never Passthrough (an absent mode is the
    // API server's default, Terminate), never one the ignore annotation names.
    if (!["HTTPS", "TLS"].includes(str(l.protocol) ?? "") || str(tls.mode) === "Passthrough") return [];
    if (ignored.includes(str(l.name) ?? "")) return [];
    // validateGatewayListenerBlock: a hostname, and only Secrets of the Gateway's own namespace,
    // or the whole listener is skipped.
    const valid = (ref: Obj): boolean =>
      ["", "core"].includes(str(ref.group) ?? "") &&
      ["", "Secret"].includes(str(ref.kind) ?? "") &&
      (str(ref.namespace) === undefined || str(ref.namespace) === namespace);
    if (!hostname || refs.length === 0 || !refs.every(valid)) return [];
    return refs.map((ref) => ({ ...issuer, dnsNames: [hostname], secretName: str(ref.name), path: `spec.listeners[${i}]` }));
  });
}
