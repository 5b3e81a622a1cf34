/** A tenant as the generator receives it: its spec and the file that defines it. */
import type { TenantSpec } from "./tenant.js";

export interface TenantSource {
  /** Path of the defining module, relative to the repo root; errors and file headers name it. */
  file: string;
  spec: TenantSpec;
}
