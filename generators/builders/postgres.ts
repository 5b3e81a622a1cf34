/**
 * PostgreSQL on CloudNativePG (api/components/postgres.ts): per cluster, the Cluster, its Pooler,
 * the ObjectStore the Barman Cloud plugin archives WAL and base backups to, the ScheduledBackup, the
 * owner's credentials as an ExternalSecret, and PodMonitors; per tenant, the NetworkPolicies its pods
 * need (the platform emits them); per cluster, the IAM roles the instances assume to reach S3.
 *
 * Upstream: cloudnative-pg docs/src/{replication,failover,backup,recovery,connection_pooling,
 * monitoring}.md; plugin-barman-cloud docs/src/{usage,object_stores}.md.
 */
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule, INetworkPolicyPeer, INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1";
import { Cluster } from "../addons/models/cnpg/Cluster.js";
import { ObjectStore } from "../addons/models/cnpg/ObjectStore.js";
import { Pooler } from "../addons/models/cnpg/Pooler.js";
import { ScheduledBackup } from "../addons/models/cnpg/ScheduledBackup.js";
import {
  ANNOTATIONS,
  CNPG,
  IRSA_ROLE_ANNOTATION,
  LABELS,
  PG_BACKUP_BUCKET_PREFIX,
  PLATFORM,
  PROMETHEUS_SELECTOR,
} from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import type { ClusterSpec, Env, Fleet, Region } from "../fleet/fleet.js";
import { forEnv } from "../api/per-env.js";
import type { TenantSpec } from "../api/tenant.js";
import type { DatabaseClient } from "../api/components/postgres.js";
import { DEFAULT_DURABILITY, type DurabilityTargets, durationSeconds } from "../api/durability.js";
import {
  CNPG_POSTGRES_IMAGE,
  POSTGRES_DEFAULTS,
  type PostgresSpec,
  archiveTimeoutSeconds,
  copyRegion,
  poolerName,
} from "../api/components/postgres.js";
import type { KubeObject } from "./object.js";
import { containerResources } from "./pod.js";
import { DNS_EGRESS, nsSelector } from "./network.js";
import { jobSelectorLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";

/** The environment's targets for a database (its declaration, else the defaults). */
export function targetsFor(db: PostgresSpec, env: Env): DurabilityTargets | undefined {
  if (db.durability?.recreatable) return undefined;
  return db.durability?.targets !== undefined ? forEnv(db.durability.targets, env) : DEFAULT_DURABILITY[env];
}

export const backupBucket = (env: Env, region: Region): string => `${PG_BACKUP_BUCKET_PREFIX}-${env}-${region}`;
/** Objects of one tenant on one cluster: `<cluster>/<tenant>/`; barman-cloud adds `<serverName>/{base,wals}/`. */
export const backupPrefix = (cluster: ClusterSpec, tenant: TenantSpec): string => `${cluster.name}/${tenant.name}`;
export const objectStoreName = (db: PostgresSpec): string => `${db.name}-backup`;
export const databaseRoleName = (cluster: ClusterSpec, tenant: TenantSpec, db: PostgresSpec): string =>
  `${cluster.name}-pg-${tenant.name}-${db.name}`;

const instanceSelector = (db: PostgresSpec): Record<string, string> => ({ [CNPG.clusterLabel]: db.name, [CNPG.podRoleLabel]: "instance" });
const poolerSelector = (db: PostgresSpec): Record<string, string> => ({ [CNPG.poolerLabel]: poolerName(db) });
/** The `<cluster>-rw` Service's selector (cloudnative-pg pkg/specs/services.go CreateClusterReadWriteService). */
const primarySelector = (db: PostgresSpec): Record<string, string> => ({
  [CNPG.clusterLabel]: db.name,
  [CNPG.instanceRoleLabel]: "primary",
});

function objectStore(fleet: Fleet, tenant: TenantSpec, cluster: ClusterSpec, db: PostgresSpec): ObjectStore {
  const copy = copyRegion(fleet, cluster);
  const prefix = backupPrefix(cluster, tenant);
  return new ObjectStore({
    metadata: {
      name: objectStoreName(db),
      namespace: tenantNamespace(tenant),
      labels: tenantLabels(tenant),
      annotations: {
        [ANNOTATIONS.bucketRegion]: cluster.region,
        ...(copy !== undefined ? { [ANNOTATIONS.replicatedTo]: `s3://${backupBucket(cluster.env, copy)}/${prefix}` } : {}),
      },
    },
    spec: {
      configuration: {
        destinationPath: `s3://${backupBucket(cluster.env, cluster.region)}/${prefix}`,
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: "gzip", encryption: "AES256", maxParallel: 4 },
        data: { compression: "gzip", encryption: "AES256", immediateCheckpoint: true, jobs: 2 },
      },
      retentionPolicy: db.backup?.retention ?? POSTGRES_DEFAULTS.retention,
      instanceSidecarConfiguration: {
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      },
    },
  });
}

function credentials(tenant: TenantSpec, env: Env, db: PostgresSpec): ExternalSecret {
  const secret = (tenant.secrets ?? []).find((s) => s.name === db.password.secret);
  if (!secret) throw new Error(`internal: ${tenant.name} database ${db.name} names unknown secret ${db.password.secret}`);
  return new ExternalSecret({
    metadata: { name: `${db.name}-owner`, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
    spec: {
      refreshInterval: secret.refreshInterval ?? "1h",
      secretStoreRef: { kind: "SecretStore", name: PLATFORM.secretStore },
      target: {
        name: `${db.name}-owner`,
        creationPolicy: "Owner",
        deletionPolicy: "Retain",
        // bootstrap.initdb.secret must be a basic-auth Secret (cloudnative-pg docs/src/bootstrap.md).
        template: { type: "kubernetes.io/basic-auth", engineVersion: "v2", data: { username: db.owner, password: "{{ .password }}" } },
      },
      data: [{ secretKey: "password", remoteRef: { key: `${env}/${tenant.name}/${secret.remoteKey}`, property: db.password.property } }],
    },
  });
}

/** The Cluster: instances spread over zones, WAL archived by the plugin within the RPO. */
function cluster(tenant: TenantSpec, c: ClusterSpec, db: PostgresSpec): Cluster {
  const instances = forEnv(db.instances, c.env);
  const targets = targetsFor(db, c.env);
  const rpo = targets !== undefined ? durationSeconds(targets.rpo) : undefined;
  const archiveTimeout = archiveTimeoutSeconds(rpo ?? 3600);
  return new Cluster({
    metadata: {
      name: db.name,
      namespace: tenantNamespace(tenant),
      labels: tenantLabels(tenant),
      annotations:
        targets !== undefined
          ? { [ANNOTATIONS.durabilityRpo]: targets.rpo, [ANNOTATIONS.durabilityRto]: targets.rto }
          : { [ANNOTATIONS.recreatable]: db.durability?.recreatable?.reason ?? "" },
    },
    spec: {
      description: db.description,
      instances,
      imageName: `${CNPG_POSTGRES_IMAGE}:${db.version}`,
      // Switch over to an updated standby instead of restarting the primary in place.
      primaryUpdateStrategy: "unsupervised",
      primaryUpdateMethod: "switchover",
      enableSuperuserAccess: false,
      enablePDB: true,
      failoverDelay: 0,
      postgresql: { parameters: { ...(db.parameters ?? {}), archive_timeout: `${archiveTimeout}s` } },
      bootstrap: { initdb: { database: db.database, owner: db.owner, secret: { name: `${db.name}-owner` }, dataChecksums: true } },
      storage: { size: forEnv(db.storage, c.env), storageClass: PLATFORM.defaultStorageClass, resizeInUseVolumes: true },
      resources: containerResources(forEnv(db.resources, c.env), 0),
      // One instance per zone: a zone outage takes at most one instance (cloudnative-pg docs/src/scheduling.md).
      affinity: { enablePodAntiAffinity: true, topologyKey: LABELS.zone, podAntiAffinityType: instances <= 3 ? "required" : "preferred" },
      plugins: [
        { name: CNPG.barmanPlugin, isWALArchiver: true, parameters: { barmanObjectName: objectStoreName(db), serverName: db.name } },
      ],
      // Outside the mesh: the operator reaches the instances' status port directly (docs/tenants/*.md).
      inheritedMetadata: { labels: { ...tenantLabels(tenant), [LABELS.istioInject]: "false" } },
      serviceAccountTemplate: {
        metadata: {
          annotations: { [IRSA_ROLE_ANNOTATION]: iamRoleArn(databaseRoleName(c, tenant, db)) },
        },
      },
    },
  });
}

function pooler(tenant: TenantSpec, c: ClusterSpec, db: PostgresSpec): Pooler {
  const name = poolerName(db);
  const instances = db.pooler?.instances !== undefined ? forEnv(db.pooler.instances, c.env) : c.env === "dev" ? 1 : 2;
  return new Pooler({
    metadata: { name, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
    spec: {
      cluster: { name: db.name },
      type: "rw",
      instances,
      pgbouncer: {
        poolMode: db.pooler?.poolMode ?? POSTGRES_DEFAULTS.poolMode,
        parameters: { max_client_conn: "1000", default_pool_size: "25" },
      },
      template: {
        metadata: { labels: { ...tenantLabels(tenant), [LABELS.istioInject]: "false" } },
        spec: {
          containers: [],
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: LABELS.zone,
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: poolerSelector(db) },
            },
          ],
        },
      },
    },
  });
}

function scheduledBackup(tenant: TenantSpec, db: PostgresSpec): ScheduledBackup {
  return new ScheduledBackup({
    metadata: { name: `${db.name}-base`, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
    spec: {
      cluster: { name: db.name },
      schedule: db.backup?.schedule ?? POSTGRES_DEFAULTS.schedule,
      method: "plugin",
      pluginConfiguration: { name: CNPG.barmanPlugin },
      backupOwnerReference: "self",
      immediate: true,
      target: "prefer-standby",
    },
  });
}

/** CNPG's `monitoring.enablePodMonitor` is deprecated (CRD description, 1.30): the PodMonitors are ours. */
function podMonitors(tenant: TenantSpec, db: PostgresSpec): PodMonitor[] {
  const monitor = (name: string, selector: Record<string, string>): PodMonitor =>
    new PodMonitor({
      metadata: { name, namespace: tenantNamespace(tenant), labels: { ...tenantLabels(tenant), ...PROMETHEUS_SELECTOR } },
      spec: { selector: { matchLabels: selector }, podMetricsEndpoints: [{ port: "metrics" }] },
    });
  return [monitor(db.name, instanceSelector(db)), monitor(poolerName(db), poolerSelector(db))];
}

/** Every object of a tenant's databases on one cluster. */
export function buildDatabases(fleet: Fleet, tenant: TenantSpec, c: ClusterSpec): KubeObject[] {
  return (tenant.databases ?? []).flatMap((db) => [
    credentials(tenant, c.env, db),
    objectStore(fleet, tenant, c, db),
    cluster(tenant, c, db),
    pooler(tenant, c, db),
    scheduledBackup(tenant, db),
    ...podMonitors(tenant, db),
  ]);
}

const tcp = (...ports: number[]): INetworkPolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));
/** S3 and the EKS API endpoint: public AWS addresses, HTTPS only. */
const AWS_HTTPS: INetworkPolicyEgressRule = { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(443) };

function clientSelector(tenant: TenantSpec, peer: DatabaseClient): Record<string, string> {
  if (peer.job !== undefined) return jobSelectorLabels(tenant, peer.job);
  const app = tenant.apps.find((a) => a.name === peer.app);
  if (!app) throw new Error(`internal: ${tenant.name} database client ${JSON.stringify(peer)} is not an app or job of the tenant`);
  return selectorLabels(tenant, app);
}

/**
 * The database's NetworkPolicies: instances talk to each other, to the operator and to S3 and
 * the API server; the Pooler admits the declared clients and reaches the instances; each client
 * may reach the Pooler. Prometheus scrapes both.
 */
export function buildDatabaseNetworkPolicies(tenant: TenantSpec): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const labels = tenantLabels(tenant);
  const monitoring: INetworkPolicyPeer = { namespaceSelector: nsSelector(PLATFORM.monitoringNamespace) };
  const operator: INetworkPolicyPeer = { namespaceSelector: nsSelector(CNPG.namespace) };
  return (tenant.databases ?? []).flatMap((db) => {
    const members: INetworkPolicyPeer = { podSelector: { matchLabels: { [CNPG.clusterLabel]: db.name } } };
    // PgBouncer dials the `<cluster>-rw` ClusterIP, and the EKS agent admits a ClusterIP only when the
    // peer's podSelector matches that Service's selector (aws-network-policy-controller
    // pkg/resolvers/endpoints.go getMatchingServiceClusterIPs): so the peer is the Service's own selector.
    const primary: INetworkPolicyPeer = { podSelector: { matchLabels: primarySelector(db) } };
    const poolerPods: INetworkPolicyPeer = { podSelector: { matchLabels: poolerSelector(db) } };
    return [
      // Instances and the operator's initdb/join Jobs: everything labelled with the cluster but its Pooler.
      new NetworkPolicy({
        metadata: { name: `${db.name}-instances`, namespace, labels },
        spec: {
          podSelector: {
            matchLabels: { [CNPG.clusterLabel]: db.name },
            matchExpressions: [{ key: CNPG.podRoleLabel, operator: "NotIn", values: ["pooler"] }],
          },
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: [members], ports: tcp(CNPG.postgresPort, CNPG.statusPort) },
            { from: [operator], ports: tcp(CNPG.postgresPort, CNPG.statusPort) },
            { from: [monitoring], ports: tcp(CNPG.metricsPort) },
          ],
          egress: [DNS_EGRESS, { to: [members], ports: tcp(CNPG.postgresPort, CNPG.statusPort) }, AWS_HTTPS],
        },
      }),
      new NetworkPolicy({
        metadata: { name: poolerName(db), namespace, labels },
        spec: {
          podSelector: { matchLabels: poolerSelector(db) },
          policyTypes: ["Ingress", "Egress"],
          ingress: [
            { from: db.clients.map((p) => ({ podSelector: { matchLabels: clientSelector(tenant, p) } })), ports: tcp(CNPG.postgresPort) },
            { from: [monitoring], ports: tcp(CNPG.poolerMetricsPort) },
          ],
          egress: [DNS_EGRESS, { to: [primary], ports: tcp(CNPG.postgresPort) }, AWS_HTTPS],
        },
      }),
      ...db.clients.map(
        (p) =>
          new NetworkPolicy({
            metadata: { name: `${db.name}-client-${p.app ?? p.job}`, namespace, labels },
            spec: {
              podSelector: { matchLabels: clientSelector(tenant, p) },
              policyTypes: ["Egress"],
              egress: [{ to: [poolerPods], ports: tcp(CNPG.postgresPort) }],
            },
          }),
      ),
    ];
  });
}

/** IAM roles (for Terraform) the databases' instances assume through IRSA: their own prefix, read and write. */
export function databaseRoles(fleet: Fleet, c: ClusterSpec, tenants: readonly TenantSpec[]): Record<string, unknown>[] {
  return tenants.flatMap((t) =>
    (t.databases ?? []).map((db) => {
      const bucket = backupBucket(c.env, c.region);
      const prefix = `${backupPrefix(c, t)}/${db.name}`;
      const copy = copyRegion(fleet, c);
      return {
        name: databaseRoleName(c, t, db),
        serviceAccount: `system:serviceaccount:${tenantNamespace(t)}:${db.name}`,
        policy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
              Resource: [`arn:aws:s3:::${bucket}/${prefix}/*`],
            },
            {
              Effect: "Allow",
              Action: ["s3:ListBucket"],
              Resource: [`arn:aws:s3:::${bucket}`],
              // IfExists: barman-cloud first checks the bucket with HeadBucket, which carries no prefix.
              Condition: { StringLikeIfExists: { "s3:prefix": [`${prefix}/*`] } },
            },
          ],
        },
        ...(copy !== undefined
          ? { replication: { destinationBucket: backupBucket(c.env, copy), prefix: `${prefix}/`, replicationTimeControlMinutes: 15 } }
          : {}),
      };
    }),
  );
}
