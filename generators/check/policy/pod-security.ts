/**
 * Pod Security Standards, "restricted" profile, on every container, init container and
 * ephemeral container of every pod template.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import type { ClusterRule, Hit } from "./types.js";
import { arr, containersOf, hitOn, num, obj, objs, perTemplate, str } from "./util.js";

const ALLOWED_VOLUME_TYPES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

export const POD_SECURITY_RULES: readonly ClusterRule[] = [
  {
    id: "pss-host-namespaces",
    scope: "cluster",
    description: "Pods do not share the host's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).",
    fix: "Remove hostNetwork/hostPID/hostIPC from the pod spec.",
    check: perTemplate((t) =>
      (["hostNetwork", "hostPID", "hostIPC"] as const)
        .filter((f) => t.spec[f] === true)
        .map((f) => hitOn(t.loc, `${t.specPath}.${f}`, `${f} is true`)),
    ),
  },
  {
    id: "pss-privileged",
    scope: "cluster",
    description: "No container runs privileged.",
    fix: "Set securityContext.privileged: false (or drop it) on the container.",
    check: perTemplate((t) =>
      containersOf(t)
        .filter(({ c }) => obj(c.securityContext).privileged === true)
        .map(({ c, path }) => hitOn(t.loc, `${path}.securityContext.privileged`, `container ${str(c.name)} is privileged`)),
    ),
  },
  {
    id: "pss-host-path",
    scope: "cluster",
    description: "No hostPath volumes.",
    fix: "Replace the hostPath volume with an emptyDir, configMap or persistentVolumeClaim.",
    check: perTemplate((t) =>
      objs(t.spec.volumes).flatMap((v, i) =>
        v.hostPath !== undefined ? [hitOn(t.loc, `${t.specPath}.volumes[${i}].hostPath`, `volume ${str(v.name)} is a hostPath`)] : [],
      ),
    ),
  },
  {
    id: "pss-host-port",
    scope: "cluster",
    description: "No container port binds a hostPort.",
    fix: "Remove hostPort; expose the port through a Service.",
    check: perTemplate((t) =>
      containersOf(t).flatMap(({ c, path }) =>
        objs(c.ports).flatMap((p, i) =>
          num(p.hostPort) !== undefined && p.hostPort !== 0
            ? [hitOn(t.loc, `${path}.ports[${i}].hostPort`, `container ${str(c.name)} binds hostPort ${String(p.hostPort)}`)]
            : [],
        ),
      ),
    ),
  },
  {
    id: "pss-volume-types",
    scope: "cluster",
    description: `Volumes use only the restricted profile's types: ${ALLOWED_VOLUME_TYPES.join(", ")}.`,
    fix: "Use a configMap, secret, emptyDir, projected, csi, ephemeral or persistentVolumeClaim volume instead.",
    check: perTemplate((t) =>
      objs(t.spec.volumes).flatMap((v, i) =>
        Object.keys(v)
          .filter((k) => k !== "name" && k !== "hostPath" && !ALLOWED_VOLUME_TYPES.includes(k))
          .map((k) =>
            hitOn(t.loc, `${t.specPath}.volumes[${i}].${k}`, `volume ${str(v.name)} has type ${k}, not allowed by the restricted profile`),
          ),
      ),
    ),
  },
  {
    id: "pss-privilege-escalation",
    scope: "cluster",
    description: "Every container sets securityContext.allowPrivilegeEscalation: false explicitly.",
    fix: "Set securityContext.allowPrivilegeEscalation: false on the container.",
    check: perTemplate((t) =>
      containersOf(t)
        .filter(({ c }) => obj(c.securityContext).allowPrivilegeEscalation !== false)
        .map(({ c, path }) =>
          hitOn(
            t.loc,
            `${path}.securityContext.allowPrivilegeEscalation`,
            `container ${str(c.name)} does not set allowPrivilegeEscalation: false`,
          ),
        ),
    ),
  },
  {
    id: "pss-run-as-non-root",
    scope: "cluster",
    description: "Every container runs with runAsNonRoot: true (set on the pod or the container, not overridden to false).",
    fix: "Set securityContext.runAsNonRoot: true on the pod.",
    check: perTemplate((t) => {
      const podValue = obj(t.spec.securityContext).runAsNonRoot;
      return containersOf(t)
        .filter(({ c }) => {
          const v = obj(c.securityContext).runAsNonRoot;
          return v === undefined ? podValue !== true : v !== true;
        })
        .map(({ c, path }) =>
          hitOn(t.loc, `${path}.securityContext.runAsNonRoot`, `container ${str(c.name)} may run as root (runAsNonRoot is not true)`),
        );
    }),
  },
  {
    id: "pss-run-as-user",
    scope: "cluster",
    description: "runAsUser is never 0 (root), on the pod or any container.",
    fix: "Set runAsUser to a non-zero UID (e.g. 10001).",
    check: perTemplate((t) => {
      const hits: Hit[] = [];
      if (obj(t.spec.securityContext).runAsUser === 0)
        hits.push(hitOn(t.loc, `${t.specPath}.securityContext.runAsUser`, "pod runAsUser is 0"));
      for (const { c, path } of containersOf(t))
        if (obj(c.securityContext).runAsUser === 0)
          hits.push(hitOn(t.loc, `${path}.securityContext.runAsUser`, `container ${str(c.name)} runAsUser is 0`));
      return hits;
    }),
  },
  {
    id: "pss-seccomp",
    scope: "cluster",
    description: "The seccomp profile is RuntimeDefault or Localhost (pod-level, or on every container).",
    fix: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
    check: perTemplate((t) => {
      const ok = (v: unknown): boolean => v === "RuntimeDefault" || v === "Localhost";
      const podType = obj(obj(t.spec.securityContext).seccompProfile).type;
      return containersOf(t).flatMap(({ c, path }) => {
        const own = obj(obj(c.securityContext).seccompProfile).type;
        const effective = own ?? podType;
        return ok(effective)
          ? []
          : [
              hitOn(
                t.loc,
                `${path}.securityContext.seccompProfile.type`,
                `container ${str(c.name)} seccomp profile is ${String(effective ?? "unset")}`,
              ),
            ];
      });
    }),
  },
  {
    id: "pss-capabilities",
    scope: "cluster",
    description: "Every container drops ALL capabilities and adds none but NET_BIND_SERVICE.",
    fix: "Set securityContext.capabilities: {drop: [ALL]} and add only NET_BIND_SERVICE if needed.",
    check: perTemplate((t) =>
      containersOf(t).flatMap(({ c, path }) => {
        const caps = obj(obj(c.securityContext).capabilities);
        const hits: Hit[] = [];
        if (!arr(caps.drop).includes("ALL"))
          hits.push(hitOn(t.loc, `${path}.securityContext.capabilities.drop`, `container ${str(c.name)} does not drop ALL capabilities`));
        arr(caps.add).forEach((a, i) => {
          if (a !== "NET_BIND_SERVICE")
            hits.push(
              hitOn(t.loc, `${path}.securityContext.capabilities.add[${i}]`, `container ${str(c.name)} adds capability ${String(a)}`),
            );
        });
        return hits;
      }),
    ),
  },
];
