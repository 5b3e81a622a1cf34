/** The tenant registry: every tenant the fleet runs, with the file that defines it. */
import type { TenantSource } from "../api/source.js";
import { uiota } from "./uiota.js";
import { agentguard } from "./agentguard.js";
import { autonomousOpTenant } from "./autonomous-op.js";
import { mlcf } from "./mlcf.js";
import { ossa } from "./ossa.js";

export type { TenantSource } from "../api/source.js";

export const TENANTS: readonly TenantSource[] = [
  { file: "generators/tenants/uiota.ts", spec: uiota },
  { file: "generators/tenants/agentguard.ts", spec: agentguard },
  { file: "generators/tenants/autonomous-op.ts", spec: autonomousOpTenant },
  { file: "generators/tenants/mlcf.ts", spec: mlcf },
  { file: "generators/tenants/ossa.ts", spec: ossa },
];
