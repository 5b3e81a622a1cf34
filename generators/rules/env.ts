/**
 * Environment variable names, ConfigMap keys and sizes, volume mount paths, as the
 * Kubernetes API server validates them.
 *
 * References (kubernetes/kubernetes unless noted):
 * - kubernetes/apimachinery pkg/util/validation/validation.go IsEnvVarName, IsConfigMapKey
 *   (envVarNameFmt, configMapKeyFmt), and pkg/apis/core/validation/validation.go
 *   isRelaxedEnvVarName (feature gate RelaxedEnvironmentVariableValidation).
 * - pkg/apis/core/validation/validation.go ValidateConfigMap: total of data and binaryData
 *   at most core.MaxSecretSize (1 MiB).
 * - pkg/apis/core/validation/validation.go ValidateVolumeMounts: mountPath required and
 *   unique per container ("must be unique").
 */

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** core.MaxSecretSize, which ValidateConfigMap also applies to ConfigMaps. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/**
 * IsEnvVarName: the strict rule. Kubernetes 1.32+ admits more by default (the relaxed rule:
 * any printable ASCII but '='); the generator keeps to the strict one, which every
 * supported version admits and which POSIX shells can read.
 */
export function envVarName(name: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME.test(name))
    errs.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
    );
  if (name === ".") errs.push("must not be '.'");
  else if (name === "..") errs.push("must not be '..'");
  else if (name.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/** isRelaxedEnvVarName: what the API server admits with RelaxedEnvironmentVariableValidation on. */
export function relaxedEnvVarName(name: string): string[] {
  if (name.length === 0) return ["environment variable name must not be empty"];
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 32 || code > 126 || ch === "=")
      return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** IsConfigMapKey: keys of ConfigMaps and Secrets (file names when mounted). */
export function configMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push("must be no more than 253 characters");
  if (!CONFIG_MAP_KEY.test(key)) errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/** UTF-8 bytes of a string, as Go's len() counts them. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** ValidateConfigMap's size rule: the sum of every value's bytes. */
export function configMapSizeProblem(values: readonly string[]): string | undefined {
  const total = values.reduce((n, v) => n + byteLength(v), 0);
  return total > MAX_CONFIG_MAP_BYTES
    ? `the ConfigMap's data totals ${total} bytes; must have at most ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB)`
    : undefined;
}

/** ValidateVolumeMounts: each mountPath of one container non-empty and unique. Returns the indexes of offending mounts with why. */
export function mountPathProblems(paths: readonly string[]): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  const seen = new Set<string>();
  paths.forEach((p, i) => {
    if (p === "") out.push({ index: i, message: "mountPath is required" });
    else if (seen.has(p)) out.push({ index: i, message: "mountPath must be unique: another volume is already mounted there" });
    seen.add(p);
  });
  return out;
}
