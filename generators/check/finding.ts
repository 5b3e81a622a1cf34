/** One problem `npm run check` reports, whatever found it. */
export interface Finding {
  /** Rule id, e.g. "schema" or "pss-privileged". */
  rule: string;
  /** Cluster folder it was found in, or "apps" for Argo CD objects. */
  cluster: string;
  tenant: string;
  /** kind/namespace/name */
  object: string;
  /** Field path inside the object. */
  path: string;
  message: string;
  /** One line on how to fix it. */
  fix: string;
}
