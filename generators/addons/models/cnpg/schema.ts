/**
 * Shared pieces of the CloudNativePG models: there is no @kubernetes-models package for
 * CloudNativePG, so the kinds the fleet emits are modelled here, by hand, from the CRDs of the
 * pinned charts (cloudnative-pg/charts charts/cloudnative-pg 0.29.0 templates/crds/crds.yaml and
 * charts/plugin-barman-cloud 0.7.0 templates/crds/crds.yaml) and the API references
 * (cloudnative-pg docs/src/cloudnative-pg.v1.md, plugin-barman-cloud docs/src/plugin-barman-cloud.v1.md).
 *
 * Each model is the TypeScript interface the strict field walker reads (unknown fields fail)
 * plus a JSON schema, compiled with ajv, for the required fields, types, enums and patterns of
 * those CRDs. Only the fields the generators set are declared: emitting a new field means
 * declaring it here first, against the same CRD.
 */
import { Ajv, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: true, strict: false });

export type JsonSchema = Record<string, unknown>;

/**
 * Compiled on first use, not on import: ajv's code generation for the Cluster schema alone costs
 * ~0.1 s, which every CLI paid at start-up, including those that never validate a
 * CloudNativePG object (diff, pins, docs). @kubernetes-models/validate reads only the
 * function's result and its `errors`.
 */
export function compile<T>(schema: JsonSchema): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown): boolean => {
    compiled ??= ajv.compile<T>(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction<T>;
  return validate;
}

export const str: JsonSchema = { type: "string" };
export const bool: JsonSchema = { type: "boolean" };
export const int = (minimum?: number, maximum?: number): JsonSchema => ({
  type: "integer",
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
});
export const oneOf = (...values: string[]): JsonSchema => ({ type: "string", enum: values });
export const strMap: JsonSchema = { type: "object", additionalProperties: { type: "string" } };
export const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
});
export const arr = (items: JsonSchema): JsonSchema => ({ type: "array", items });
/** A Kubernetes type validated by its own model elsewhere; here only "an object". */
export const anyObject: JsonSchema = { type: "object" };

/** A `LocalObjectReference` (CNPG's machinery api). */
export interface LocalObjectReference {
  name: string;
}
export const localRef: JsonSchema = obj({ name: str }, ["name"]);

/** The metadata every kind carries. */
export const metadata: JsonSchema = obj({ name: str, namespace: str, labels: strMap, annotations: strMap });

/** apiVersion, kind, metadata and spec of one kind. */
export function kindSchema(apiVersion: string, kind: string, spec: JsonSchema): JsonSchema {
  return obj({ apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec }, ["apiVersion", "kind", "metadata", "spec"]);
}

/** Retention as the CRDs spell it: `XXu`, u in d, w, m (BarmanObjectStore retentionPolicy). */
export const RETENTION_PATTERN = "^[1-9][0-9]*[dwm]$";
