/** A needed flow: who calls what, why, and where the need is written. */
import type { Service, ServicePort, Workload } from "./cluster.js";
import type { Protocol } from "./netpol.js";

/** Where a needed flow goes. */
export type FlowTarget =
  | { kind: "service"; service: Service; port: ServicePort }
  | { kind: "pod"; service: Service; pod: string; port: ServicePort }
  | { kind: "api-server"; port: number }
  | { kind: "missing"; host: string; port: number | undefined; reason: string };

export interface Flow {
  source: Workload;
  target: FlowTarget;
  protocol: Protocol;
  /** What needs it, e.g. "env DATABASE_URL", "Ingress mlcf/mlcf-api". */
  evidence: string;
  /** The rendered object that declares the need (kind/namespace/name), and the field. */
  object: string;
  tenant: string;
  path: string;
  /** The client connects to pod IPs (a sidecar, the ingress controller, Prometheus) rather than the ClusterIP. */
  direct: boolean;
  /**
   * Read from a typed reference (Ingress, VirtualService, ServiceMonitor, PodMonitor backend), whose
   * dangling Service, port or selector the ref-* rules already report; free-text addresses are not.
   */
  structured: boolean;
}
