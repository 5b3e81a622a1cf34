/**
 * Who makes a TLS Secret with which names: a cert-manager Certificate (`spec.secretName`,
 * `spec.dnsNames`), or an ExternalSecret that reads a certificate another cluster issued and
 * published, templated as a `kubernetes.io/tls` Secret carrying the `cert-manager.io/alt-names`
 * annotation cert-manager writes on the Secrets it issues (cert-manager
 * pkg/apis/certmanager/v1/types.go AltNamesAnnotationKey; builders/certificates.ts).
 */
import { kindOf, namespaceOf, nameOf, obj, str, type Obj } from "./util.js";

export interface TlsSecret {
  namespace: string;
  secretName: string;
  dnsNames: string[];
}

/** The TLS Secret an object makes, or undefined. */
export function tlsSecretOf(o: Obj): TlsSecret | undefined {
  const spec = obj(o.spec);
  if (kindOf(o) === "Certificate")
    return {
      namespace: namespaceOf(o),
      secretName: str(spec.secretName) ?? "",
      dnsNames: ((spec.dnsNames as unknown[] | undefined) ?? []).filter((x): x is string => typeof x === "string"),
    };
  if (kindOf(o) !== "ExternalSecret") return undefined;
  const target = obj(spec.target);
  const template = obj(target.template);
  if (str(template.type) !== "kubernetes.io/tls") return undefined;
  const names = str(obj(obj(template.metadata).annotations)["cert-manager.io/alt-names"]);
  return {
    namespace: namespaceOf(o),
    secretName: str(target.name) ?? nameOf(o),
    dnsNames: names === undefined ? [] : names.split(",").filter((x) => x !== ""),
  };
}
