/**
 * Building blocks several tenants share: a clustered Qdrant, and the S3 upload step
 * and CronJob shape every backup uses. Plain functions returning API specs, so a
 * tenant file still reads as its seed's inventory.
 */
import type { AppSpec, ImageSpec, JobSpec, JobStepSpec, Peer, PortSpec, ResourcesSpec } from "../tenant.js";
import { external, wiring } from "./wiring.js";
import type { DurabilitySpec } from "../durability.js";

/** Qdrant's ports: the REST and gRPC APIs, and the Raft p2p port between nodes. */
export const QDRANT_PORTS: readonly PortSpec[] = [
  { name: "http", containerPort: 6333 },
  { name: "grpc", containerPort: 6334 },
  { name: "p2p", containerPort: 6335 },
];
/** The Qdrant cluster as its callers see it: `wire.port(QDRANT, "http")`. */
export const QDRANT = { name: "qdrant", ports: QDRANT_PORTS } as const;

/** Qdrant's unprivileged image runs as UID 1000 and writes only below /qdrant/storage, /qdrant/snapshots and /tmp. */
export const QDRANT_IMAGE: ImageSpec = { repository: "docker.io/qdrant/qdrant", tag: "v1.12.4-unprivileged" };
export const AWS_CLI_IMAGE: ImageSpec = { repository: "docker.io/amazon/aws-cli", tag: "2.17.56" };
export const CURL_IMAGE: ImageSpec = { repository: "docker.io/curlimages/curl", tag: "8.10.1" };

export interface QdrantOptions {
  /** The namespace it runs in (its peers dial each other there). */
  namespace: string;
  /** Non-app callers of the HTTP API (apps declare `calls` to QDRANT's ports). @default none */
  clients?: readonly Peer[];
  /** Tenant secret and property holding the API key. */
  apiKey: { secret: string; property: string };
  dataSize: string;
  snapshotSize: string;
  resources: ResourcesSpec;
  replicas: number;
  /** Name of the backup job, admitted on the HTTP port. */
  backupJob: string;
  /** The volumes' RPO and RTO (AppSpec.durability). */
  durability: DurabilitySpec;
}

/**
 * Qdrant in distributed mode: pod 0 bootstraps the Raft cluster on its p2p port and
 * every other pod joins it through the headless Service; peers start in parallel.
 */
export function qdrantApp(o: QdrantOptions): AppSpec {
  const wire = wiring(o.namespace);
  const p2p = wire.port(QDRANT, "p2p");
  return {
    name: "qdrant",
    description: "Qdrant vector database, distributed mode (Raft over the p2p port)",
    kind: "StatefulSet",
    image: QDRANT_IMAGE,
    command: ["/bin/bash", "-c"],
    args: [
      [
        'self="http://$(hostname -f):6335"',
        'if [ "${HOSTNAME##*-}" = "0" ]; then exec ./entrypoint.sh --uri "$self"; fi',
        `exec ./entrypoint.sh --uri "$self" --bootstrap "http://${p2p.pod(0)}:${p2p.port}"`,
      ].join("\n"),
    ],
    ports: QDRANT_PORTS,
    probes: {
      readiness: { http: { path: "/readyz", port: "http" }, periodSeconds: 5 },
      liveness: { http: { path: "/livez", port: "http" }, initialDelaySeconds: 30 },
    },
    resources: o.resources,
    env: { QDRANT__CLUSTER__ENABLED: "true", QDRANT__CLUSTER__P2P__PORT: "6335", QDRANT__STORAGE__SNAPSHOTS_PATH: "/qdrant/snapshots" },
    secretEnv: { QDRANT__SERVICE__API_KEY: o.apiKey },
    storage: [
      { name: "data", size: o.dataSize, mountPath: "/qdrant/storage" },
      { name: "snapshots", size: o.snapshotSize, mountPath: "/qdrant/snapshots" },
    ],
    securityContext: { runAsUser: 1000 },
    durability: o.durability,
    // A database keeps its replica count: Raft membership is not an autoscaling target.
    scaling: { replicas: o.replicas },
    spread: "zone-required",
    rollout: { podManagementPolicy: "Parallel" },
    // Nodes call each other: Raft on p2p, and forwarded requests on the APIs.
    calls: QDRANT_PORTS.map((p) => wire.port(QDRANT, p.name).call),
    network: { ingress: [{ from: [...(o.clients ?? []), { job: o.backupJob }], ports: ["http"] }] },
    monitoring: {
      port: "http",
      alerts: [
        {
          name: "QdrantNodeDown",
          expr: 'kube_statefulset_status_replicas_ready{statefulset="qdrant"} < kube_statefulset_replicas{statefulset="qdrant"}',
          for: "5m",
          severity: "critical",
          summary: "A Qdrant node is down",
          description: "{{ $value }} Qdrant replicas are ready, fewer than desired; the Raft cluster tolerates one loss of three.",
        },
      ],
    },
  };
}

/**
 * The last step of every backup: upload /work to S3. Credentials come from workload
 * identity (the Job's ServiceAccount role, see JobSpec.s3Write), never from static keys;
 * the tenant's backup secret holds only the bucket and region.
 */
export function s3UploadStep(secret: string, prefix: string): JobStepSpec {
  return {
    name: "upload",
    image: AWS_CLI_IMAGE,
    command: ["/bin/sh", "-c"],
    args: [`aws s3 cp --recursive --only-show-errors --sse aws:kms /work/ "s3://$BACKUP_BUCKET/${prefix}/$(date -u +%Y%m%dT%H%M%SZ)/"`],
    env: { HOME: "/tmp" },
    secretEnv: {
      AWS_DEFAULT_REGION: { secret, property: "region" },
      BACKUP_BUCKET: { secret, property: "bucket" },
    },
  };
}

/**
 * The S3 endpoint backup uploads reach. A gateway endpoint's prefix list cannot be named in
 * a NetworkPolicy, so this stays open egress on 443, with an expiry, until backups move
 * to the platform's backup controllers.
 */
export const S3_UPLOAD = external({
  host: "*.amazonaws.com",
  port: 443,
  reason: "backup upload to the environment's S3 bucket (regional endpoint)",
  range: "internet",
  expires: "2027-03-31",
});

/** Where every backup lands: the bucket (`ai-fleet-backups-<env>`) and region; the IAM role scopes writes to the Job's prefix. */
export const BACKUP_SECRET = { name: "backup-s3", remoteKey: "backup-s3", properties: ["bucket", "region"] } as const;

/** Full-storage snapshot of every Qdrant node, downloaded to /work, then uploaded. */
export function qdrantBackupJob(
  name: string,
  schedule: string,
  tenantPrefix: string,
  apiKey: { secret: string; property: string },
): JobSpec {
  return {
    name,
    description: "Qdrant full snapshots of every node, uploaded to S3",
    schedule,
    steps: [
      {
        name: "snapshot",
        image: CURL_IMAGE,
        command: ["/bin/sh", "-c"],
        args: [
          [
            "set -eu",
            "i=0",
            'while nslookup "qdrant-$i.qdrant-headless" >/dev/null 2>&1; do',
            '  host="http://qdrant-$i.qdrant-headless:6333"',
            '  name=$(curl -fsS -X POST -H "api-key: $QDRANT_API_KEY" "$host/snapshots?wait=true" | sed -n \'s/.*"name":"\\([^"]*\\)".*/\\1/p\')',
            '  curl -fsS -H "api-key: $QDRANT_API_KEY" -o "/work/qdrant-$i-$name" "$host/snapshots/$name"',
            '  curl -fsS -X DELETE -H "api-key: $QDRANT_API_KEY" "$host/snapshots/$name" >/dev/null',
            "  i=$((i + 1))",
            "done",
            'test "$i" -gt 0',
          ].join("\n"),
        ],
        secretEnv: { QDRANT_API_KEY: apiKey },
      },
      s3UploadStep(BACKUP_SECRET.name, `${tenantPrefix}/qdrant`),
    ],
    workSize: "60Gi",
    calls: [S3_UPLOAD.call],
    s3Write: [`${tenantPrefix}/qdrant`],
  };
}
