/** Workload hygiene: resources, probes, images, service accounts, disruption budgets, scaling, spreading. */
import type { ClusterContext, ClusterRule, Located } from "./types.js";
import {
  perTemplate,
  autoscalersOf,
  containersOf,
  hitOn,
  kindOf,
  nameOf,
  namespaceOf,
  num,
  obj,
  objs,
  ofKind,
  podTemplateOf,
  podTemplates,
  replicaBounds,
  selectorMatches,
  str,
  type Obj,
  type PodTemplate,
} from "./util.js";

import { pinnedByDigest, splitImage } from "../../rules/image.js";
import { LABELS } from "../../fleet/constants.js";
import { isProduction } from "../../fleet/fleet.js";

/** Workloads that keep replicas running (PDB, spreading and autoscaling apply to these). */
const REPLICATED = ["Deployment", "StatefulSet", "ReplicaSet"];

function replicated(ctx: ClusterContext): { loc: Located; t: PodTemplate }[] {
  return ofKind(ctx.objects, ...REPLICATED).flatMap((loc) => {
    const t = podTemplateOf(loc);
    return t ? [{ loc, t }] : [];
  });
}

/** PDBs in the workload's namespace whose selector matches its pod template. */
function pdbsFor(ctx: ClusterContext, t: PodTemplate): Located[] {
  return ofKind(ctx.objects, "PodDisruptionBudget").filter(
    (p) => namespaceOf(p.obj) === t.namespace && selectorMatches(obj(p.obj.spec).selector, t.labels),
  );
}

/** Resolves an int-or-percent against a replica count (rounding up, as the disruption controller does for minAvailable). */
function intOrPercent(v: unknown, replicas: number, roundUp: boolean): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\d+%$/.test(v)) {
    const x = (parseInt(v, 10) * replicas) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return undefined;
}

/** Pods a PDB lets be evicted at once with `replicas` healthy pods; 0 blocks every voluntary eviction. */
export function allowedDisruptions(pdb: Obj, replicas: number): number {
  const spec = obj(pdb.spec);
  if (spec.maxUnavailable !== undefined) return intOrPercent(spec.maxUnavailable, replicas, true) ?? 0;
  if (spec.minAvailable !== undefined) return replicas - (intOrPercent(spec.minAvailable, replicas, true) ?? replicas);
  return 1;
}

function probePorts(probe: Obj): { port: unknown; field: string }[] {
  const out: { port: unknown; field: string }[] = [];
  for (const field of ["httpGet", "tcpSocket", "grpc"]) {
    const p = obj(probe[field]);
    if (p.port !== undefined) out.push({ port: p.port, field: `${field}.port` });
  }
  return out;
}

/** A production cluster by the fleet model's `EnvSpec.production`, not by its environment's name. */
function isProd(ctx: ClusterContext): boolean {
  return ctx.spec !== undefined && isProduction(ctx.fleet, ctx.spec.env);
}

/** An image reference split into repository, tag and digest (generators/rules/image.ts, shared with the generator). */
export function parseImage(image: string): { repo: string; tag: string | undefined; digest: string | undefined } {
  const { repository, tag, digest } = splitImage(image);
  return { repo: repository, tag, digest };
}

/** Whether a Role/ClusterRole binding in the cluster grants the service account API access. */
function saHasBinding(ctx: ClusterContext, ns: string, sa: string): boolean {
  return ofKind(ctx.objects, "RoleBinding", "ClusterRoleBinding").some((b) => {
    if (kindOf(b.obj) === "RoleBinding" && namespaceOf(b.obj) !== ns) return false;
    return objs(b.obj.subjects).some(
      (s) => str(s.kind) === "ServiceAccount" && str(s.name) === sa && (str(s.namespace) ?? namespaceOf(b.obj)) === ns,
    );
  });
}

export const WORKLOAD_RULES: readonly ClusterRule[] = [
  {
    id: "wl-resources",
    scope: "cluster",
    description: "Every container and init container requests cpu and memory and sets a memory limit.",
    fix: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on the container.",
    check: perTemplate((t) =>
      containersOf(t, ["initContainers", "containers"]).flatMap(({ c, path }) => {
        const r = obj(c.resources);
        const missing = [
          obj(r.requests).cpu === undefined ? "requests.cpu" : undefined,
          obj(r.requests).memory === undefined ? "requests.memory" : undefined,
          obj(r.limits).memory === undefined ? "limits.memory" : undefined,
        ].filter((x): x is string => x !== undefined);
        return missing.map((m) => hitOn(t.loc, `${path}.resources.${m}`, `container ${str(c.name)} has no resources.${m}`));
      }),
    ),
  },
  {
    id: "wl-probes",
    scope: "cluster",
    description: "Every long-running container has a readiness and a liveness probe (Job/CronJob pods are exempt).",
    fix: "Add readinessProbe and livenessProbe to the container.",
    check: perTemplate((t) => {
      if (["Job", "CronJob"].includes(kindOf(t.loc.obj))) return [];
      return containersOf(t, ["containers"]).flatMap(({ c, path }) =>
        (["readinessProbe", "livenessProbe"] as const)
          .filter((p) => c[p] === undefined)
          .map((p) => hitOn(t.loc, `${path}.${p}`, `container ${str(c.name)} has no ${p}`)),
      );
    }),
  },
  {
    id: "wl-probe-port",
    scope: "cluster",
    description: "Probe ports (named or numeric) exist among the container's ports.",
    fix: "Point the probe at a port the container declares in ports[] (by name or containerPort).",
    check: perTemplate((t) =>
      containersOf(t, ["initContainers", "containers"]).flatMap(({ c, path }) => {
        const ports = objs(c.ports);
        return (["readinessProbe", "livenessProbe", "startupProbe"] as const).flatMap((p) =>
          probePorts(obj(c[p])).flatMap(({ port, field }) => {
            const ok = typeof port === "number" ? ports.some((x) => x.containerPort === port) : ports.some((x) => x.name === port);
            return ok
              ? []
              : [
                  hitOn(
                    t.loc,
                    `${path}.${p}.${field}`,
                    `${p} of container ${str(c.name)} uses port ${String(port)}, which the container does not declare`,
                  ),
                ];
          }),
        );
      }),
    ),
  },
  {
    id: "wl-image-tag",
    scope: "cluster",
    description: "Every image has an immutable-looking tag or a digest: not untagged, not `latest`.",
    fix: "Use a version tag (e.g. :1.4.2) or a digest (@sha256:...).",
    check: perTemplate((t) =>
      containersOf(t).flatMap(({ c, path }) => {
        const image = str(c.image) ?? "";
        const { tag, digest } = parseImage(image);
        if (digest !== undefined) return [];
        if (tag === undefined) return [hitOn(t.loc, `${path}.image`, `image ${image} has no tag`)];
        if (tag === "latest") return [hitOn(t.loc, `${path}.image`, `image ${image} uses the mutable tag latest`)];
        return [];
      }),
    ),
  },
  {
    id: "wl-image-digest",
    scope: "cluster",
    description: "In prod clusters every image is pinned by digest.",
    fix: 'Add the digest to the prod release pin in generators/release/pins.json: "<tenant>": { "prod": { "<key>": { "tag": "...", "digest": "sha256:..." } } }, the key being the app, "<app>/<init container>" or "<job>/<step>" that runs the image.',
    check: (ctx) => {
      if (!isProd(ctx)) return [];
      const templates = podTemplates(ctx.objects);
      // The pins.json key that sets a repository (api/pins.ts pinTargets): the app whose main container runs it,
      // else the container's own `<app>/<init container>` or `<job>/<step>`.
      const keyOf = (tenant: string, repository: string, own: string): string => {
        const owner = templates.find(
          (t) =>
            t.loc.tenant === tenant &&
            (kindOf(t.loc.obj) === "Deployment" || kindOf(t.loc.obj) === "StatefulSet") &&
            splitImage(str(objs(t.spec.containers)[0]?.image) ?? "").repository === repository,
        );
        return owner ? (str(obj(obj(owner.loc.obj.metadata).labels)[LABELS.name]) ?? nameOf(owner.loc.obj)) : own;
      };
      return templates.flatMap((t) =>
        containersOf(t).flatMap(({ c, path, field }) => {
          const image = str(c.image) ?? "";
          if (pinnedByDigest(image)) return [];
          const workload = str(obj(obj(t.loc.obj.metadata).labels)[LABELS.name]) ?? nameOf(t.loc.obj);
          const isJob = kindOf(t.loc.obj) === "Job" || kindOf(t.loc.obj) === "CronJob";
          const own = isJob || field === "initContainers" ? `${workload}/${str(c.name) ?? ""}` : workload;
          const { repository, tag } = splitImage(image);
          const key = keyOf(t.loc.tenant, repository, own);
          const fix = `Add the digest to generators/release/pins.json at "${t.loc.tenant}" > "${ctx.spec?.env}" > "${key}": { "tag": "${tag ?? "<tag>"}", "digest": "sha256:<64 hex digits of ${repository}>" } (npm run promote copies pins between environments).`;
          return [hitOn(t.loc, `${path}.image`, `prod image ${image} is not pinned by digest`, fix)];
        }),
      );
    },
  },
  {
    id: "wl-service-account",
    scope: "cluster",
    description: "Every pod runs as a dedicated ServiceAccount, not `default`.",
    fix: "Create a ServiceAccount for the workload and set serviceAccountName.",
    check: perTemplate((t) => {
      const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount) ?? "default";
      return sa === "default" ? [hitOn(t.loc, `${t.specPath}.serviceAccountName`, "pod runs as the default ServiceAccount")] : [];
    }),
  },
  {
    id: "wl-automount-token",
    scope: "cluster",
    description: "The ServiceAccount token is not mounted unless a Role/ClusterRole binding grants the ServiceAccount API access.",
    fix: "Set automountServiceAccountToken: false on the pod (or bind a Role if it needs the API).",
    check: perTemplate((t, ctx) => {
      const saName = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount) ?? "default";
      const sa = ofKind(ctx.objects, "ServiceAccount").find((s) => nameOf(s.obj) === saName && namespaceOf(s.obj) === t.namespace);
      const podValue = t.spec.automountServiceAccountToken;
      const mounted = typeof podValue === "boolean" ? podValue : sa?.obj.automountServiceAccountToken !== false;
      if (!mounted || saHasBinding(ctx, t.namespace, saName)) return [];
      return [
        hitOn(
          t.loc,
          `${t.specPath}.automountServiceAccountToken`,
          `pod mounts the token of ServiceAccount ${saName}, which no RoleBinding grants API access`,
        ),
      ];
    }),
  },
  {
    id: "wl-pdb-missing",
    scope: "cluster",
    description: "Every workload that runs more than one replica (replicas, or HPA/ScaledObject minimum) has a PodDisruptionBudget.",
    fix: "Add a PodDisruptionBudget with maxUnavailable: 1 selecting the workload's pods.",
    check: (ctx) =>
      replicated(ctx).flatMap(({ loc, t }) => {
        const { min } = replicaBounds(ctx.objects, loc.obj);
        return min > 1 && pdbsFor(ctx, t).length === 0
          ? [hitOn(loc, "spec.selector", `${kindOf(loc.obj)} runs ${min} replicas and no PodDisruptionBudget selects its pods`)]
          : [];
      }),
  },
  {
    id: "wl-pdb-blocks-eviction",
    scope: "cluster",
    description: "A PodDisruptionBudget never blocks every eviction (maxUnavailable >= 1, or minAvailable below the replica count).",
    fix: "Use maxUnavailable: 1 (or a minAvailable below the workload's minimum replicas).",
    check: (ctx) =>
      replicated(ctx).flatMap(({ loc, t }) => {
        const { min } = replicaBounds(ctx.objects, loc.obj);
        return pdbsFor(ctx, t)
          .filter((p) => allowedDisruptions(p.obj, Math.max(min, 1)) < 1)
          .map((p) =>
            hitOn(p, "spec", `PodDisruptionBudget allows no eviction of ${kindOf(loc.obj)} ${nameOf(loc.obj)} at ${min} replica(s)`),
          );
      }),
  },
  {
    id: "wl-replicas-with-autoscaler",
    scope: "cluster",
    description: "No spec.replicas on a workload an HPA or KEDA ScaledObject scales.",
    fix: "Remove spec.replicas from the workload; the autoscaler owns it.",
    check: (ctx) =>
      replicated(ctx).flatMap(({ loc }) => {
        const scalers = autoscalersOf(ctx.objects, loc.obj);
        const first = scalers[0];
        return first && obj(loc.obj.spec).replicas !== undefined
          ? [hitOn(loc, "spec.replicas", `spec.replicas is set but ${kindOf(first.obj)} ${nameOf(first.obj)} scales this workload`)]
          : [];
      }),
  },
  {
    id: "wl-hpa-min-max",
    scope: "cluster",
    description: "HorizontalPodAutoscaler minReplicas is at most maxReplicas.",
    fix: "Set minReplicas <= maxReplicas.",
    check: (ctx) =>
      ofKind(ctx.objects, "HorizontalPodAutoscaler").flatMap((h) => {
        const s = obj(h.obj.spec);
        const min = num(s.minReplicas) ?? 1;
        const max = num(s.maxReplicas) ?? 0;
        return min > max ? [hitOn(h, "spec.minReplicas", `minReplicas ${min} exceeds maxReplicas ${max}`)] : [];
      }),
  },
  {
    id: "wl-pdb-below-hpa-min",
    scope: "cluster",
    description: "A PodDisruptionBudget's minAvailable is below the minimum replicas of the HPA/ScaledObject scaling its workload.",
    fix: "Lower minAvailable below the autoscaler's minimum, or use maxUnavailable: 1.",
    check: (ctx) =>
      replicated(ctx).flatMap(({ loc, t }) => {
        const { min, autoscaler } = replicaBounds(ctx.objects, loc.obj);
        if (!autoscaler) return [];
        return pdbsFor(ctx, t).flatMap((p) => {
          const ma = obj(p.obj.spec).minAvailable;
          if (ma === undefined) return [];
          const need = intOrPercent(ma, min, true) ?? min;
          return need >= min
            ? [
                hitOn(
                  p,
                  "spec.minAvailable",
                  `minAvailable ${String(ma)} is not below the autoscaler minimum ${min} of ${kindOf(loc.obj)} ${nameOf(loc.obj)}`,
                ),
              ]
            : [];
        });
      }),
  },
  {
    id: "wl-spread",
    scope: "cluster",
    description: "In prod clusters, anything that can run more than one replica has topologySpreadConstraints or pod anti-affinity.",
    fix: "Add topologySpreadConstraints over topology.kubernetes.io/zone (or podAntiAffinity) to the pod template.",
    check: (ctx) =>
      !isProd(ctx)
        ? []
        : replicated(ctx).flatMap(({ loc, t }) => {
            const { max } = replicaBounds(ctx.objects, loc.obj);
            if (max <= 1) return [];
            const spread = objs(t.spec.topologySpreadConstraints).length > 0 || obj(t.spec.affinity).podAntiAffinity !== undefined;
            return spread
              ? []
              : [
                  hitOn(
                    loc,
                    `${t.specPath}.topologySpreadConstraints`,
                    `${kindOf(loc.obj)} may run ${max} replicas and does not spread them`,
                  ),
                ];
          }),
  },
];
