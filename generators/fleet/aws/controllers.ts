/**
 * Field formats of the controllers tenants configure, as data.
 *
 * - KEDA's Kafka scaler (kedacore/keda pkg/scalers/kafka_scaler.go): `sasl` is one of
 *   none, plain/plaintext, scram_sha256, scram_sha512, oauthbearer, gssapi; each names the
 *   Kafka SASL mechanism the client offers (Apache Kafka `sasl.enabled.mechanisms`:
 *   PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI). A broker refuses a client
 *   whose mechanism it does not enable.
 * - external-secrets (external-secrets/external-secrets apis/externalsecrets/v1
 *   ExternalSecretSpec.RefreshInterval): a metav1.Duration, i.e. Go's time.ParseDuration;
 *   "0" disables refreshing.
 * - KEDA ScaledObject (kedacore/keda apis/keda/v1alpha1 scaledobject_types.go):
 *   pollingInterval and cooldownPeriod are whole seconds.
 */

/** KEDA `sasl` value -> the Kafka mechanism it uses; "none" uses no SASL. */
export const KEDA_KAFKA_SASL: Readonly<Record<string, string | undefined>> = {
  none: undefined,
  plaintext: "PLAIN",
  plain: "PLAIN",
  scram_sha256: "SCRAM-SHA-256",
  scram_sha512: "SCRAM-SHA-512",
  oauthbearer: "OAUTHBEARER",
  gssapi: "GSSAPI",
};

/** Kafka's SASL mechanism names (`sasl.enabled.mechanisms`, `sasl.mechanism`). */
export const KAFKA_SASL_MECHANISMS: readonly string[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"];

/**
 * Environment variables through which the common Kafka images take the broker's enabled
 * mechanisms: apache/kafka (`KAFKA_` + property with _ for .) and bitnami/kafka (`KAFKA_CFG_`).
 */
export const BROKER_MECHANISM_ENV: readonly string[] = ["KAFKA_SASL_ENABLED_MECHANISMS", "KAFKA_CFG_SASL_ENABLED_MECHANISMS"];

/** The mechanisms a broker's env enables, or undefined when it does not say. */
export function brokerMechanisms(env: Readonly<Record<string, string>> | undefined): string[] | undefined {
  for (const key of BROKER_MECHANISM_ENV) {
    const v = env?.[key];
    if (v !== undefined)
      return v
        .split(",")
        .map((m) => m.trim().toUpperCase())
        .filter((m) => m !== "");
  }
  return undefined;
}
