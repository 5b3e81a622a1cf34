/** The runtime description of a tenant's `databases` entry (api/components/postgres.ts), walked by shape.ts. */
import type { PostgresSpec } from "./components/postgres.js";
import type { DurabilityTargets } from "./durability.js";
import { databaseClient } from "./schema-wiring.js";
import { array, fields, integer, map, oneOfValues, opt, perEnv, req, string, type Desc } from "./shape.js";

type DbPooler = NonNullable<PostgresSpec["pooler"]>;
type DbBackup = NonNullable<PostgresSpec["backup"]>;

/** A DurabilitySpec (api/durability.ts): targets per environment, or the reason the data can be re-created. */
export const durabilityDesc: Desc = {
  t: "oneOf",
  variants: {
    targets: { d: perEnv(fields<DurabilityTargets>({ rpo: req(string), rto: req(string) })) },
    recreatable: { d: fields<{ reason: string }>({ reason: req(string) }) },
  },
};

/** `resources` is the tenant schema's requests-and-limits description. */
export function databaseDesc(resources: Desc): Desc {
  const durability = durabilityDesc;
  return fields<PostgresSpec>({
    name: req(string),
    description: req(string),
    version: req(string),
    database: req(string),
    owner: req(string),
    password: req(fields<{ secret: string; property: string }>({ secret: req(string), property: req(string) })),
    instances: req(perEnv(integer)),
    storage: req(perEnv(string)),
    resources: req(perEnv(resources)),
    clients: req(array(databaseClient)),
    pooler: opt(
      fields<DbPooler>({ name: opt(string), instances: opt(perEnv(integer)), poolMode: opt(oneOfValues("session", "transaction")) }),
    ),
    durability: opt(durability),
    backup: opt(fields<DbBackup>({ schedule: opt(string), retention: opt(string) })),
    parameters: opt(map(string)),
  });
}
