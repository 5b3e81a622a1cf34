/** What the health model reports: why one resource cannot become Healthy at its Application's wave. */
import type { Part } from "../bootstrap/plan.js";

/** Argo CD's health of the resource; "Healthy" for a defect Argo CD does not see (an HPA that cannot read a metric). */
export type HealthStatus = "Progressing" | "Degraded" | "Healthy";

/** Why one resource cannot become Healthy at its Application's wave. */
export interface Blocker {
  rule: string;
  part: Part;
  object: string;
  path: string;
  status: HealthStatus;
  /** What it waits for, e.g. `Secret monitoring/grafana-admin`. */
  waitsFor: string;
  message: string;
}
