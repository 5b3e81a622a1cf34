/** The runtime description of the wiring API (wiring.ts, Peer in tenant.ts), walked by shape.ts like the rest of schema.ts. */
import { PLATFORM_SERVICES } from "../fleet/constants.js";
import type { ExternalSpec } from "./wiring.js";
import { boolean, fields, integer, oneOfValues, opt, req, string, type Desc } from "./shape.js";

/** Peer: exactly one of namespace, cidr, vpc, job (apps declare their own `calls`). */
export const peer: Desc = {
  t: "oneOf",
  variants: { namespace: { d: string }, cidr: { d: string }, vpc: { d: boolean }, job: { d: string } },
};

/** A database client (api/components/postgres.ts DatabaseClient): exactly one of app (optionally of another tenant) or job. */
export const databaseClient: Desc = {
  t: "oneOf",
  variants: { app: { d: string, extra: { tenant: opt(string) } }, job: { d: string } },
};

export const externalSpec = fields<ExternalSpec>({
  host: req(string),
  port: req(integer),
  reason: req(string),
  range: req(oneOfValues("vpc", "internet")),
  expires: opt(string),
});

/** Call: exactly one of app (with port and an optional tenant), platform, external. */
export const call: Desc = {
  t: "oneOf",
  variants: {
    app: { d: string, extra: { port: req(string), tenant: opt(string) } },
    platform: { d: oneOfValues(...Object.keys(PLATFORM_SERVICES)) },
    external: { d: externalSpec },
  },
};
