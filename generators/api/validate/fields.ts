/**
 * Kubernetes' and the controllers' own rules on the fields of one app: env var names,
 * ConfigMap keys and sizes, mount paths, rollout, HPA behavior and targets, Ingress paths,
 * CIDRs, probes, Istio durations, Prometheus durations and RBAC rules. Each rule lives in
 * generators/rules/ with its upstream source; this module only maps tenant fields onto it.
 */
import type { AppSpec } from "../tenant.js";
import { configMapKey, configMapSizeProblem, envVarName, mountPathProblems } from "../../rules/env.js";
import { istioDurationProblem, prometheusDurationProblem } from "../../rules/duration.js";
import { hpaBoundsProblems, rollingUpdateProblems, scalingRulesProblems, utilizationProblem } from "../../rules/workloads.js";
import { cidrProblems, ingressPathProblems } from "../../rules/networking.js";
import { policyRuleProblems } from "../../rules/rbac.js";
import { quantityProblem, quantityValue } from "../../rules/quantity.js";
import type { Collector } from "./collector.js";
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import { valueFor } from "./collector.js";

/** Env var names of a container: literal and from secrets. */
export function checkEnvNames(
  c: Collector,
  field: string,
  env: Readonly<Record<string, unknown>> | undefined,
  secretField: string,
  secretEnv: Readonly<Record<string, unknown>> | undefined,
): void {
  for (const name of Object.keys(env ?? {}))
    for (const m of envVarName(name)) c.add(`${field}.${name}`, name, `env var name: ${m}; rename it, e.g. "${suggestEnvName(name)}"`);
  for (const name of Object.keys(secretEnv ?? {}))
    for (const m of envVarName(name))
      c.add(`${secretField}.${name}`, name, `env var name: ${m}; rename it, e.g. "${suggestEnvName(name)}"`);
}

function suggestEnvName(name: string): string {
  const s = name.replace(/[^-._a-zA-Z0-9]/g, "_").replace(/^\.+/, "");
  return /^[0-9]/.test(s) ? `_${s}` : s || "MY_VAR";
}

/** Files of one ConfigMap: each name a ConfigMap key, together at most 1 MiB. */
export function checkConfigFiles(c: Collector, field: string, files: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(files))
    for (const m of configMapKey(key)) c.add(`${field}.files`, key, `a file name is a ConfigMap key: ${m}; rename the file`);
  const size = configMapSizeProblem(Object.values(files));
  if (size)
    c.add(
      `${field}.files`,
      `${Object.keys(files).length} file(s)`,
      `${size}; split it into several ConfigMaps or ship the data in the image`,
    );
}

/** The volume mounts of the app's container, as builders/pod.ts makes them, each traced to its field. */
function appMounts(app: AppSpec): { field: string; path: string }[] {
  const f = `apps[${app.name}]`;
  const scratch = (app.scratch ?? []).map((s) => ({ field: `${f}.scratch[${s.name}].mountPath`, path: s.mountPath }));
  return [
    ...(app.storage ?? []).map((s) => ({ field: `${f}.storage[${s.name}].mountPath`, path: s.mountPath })),
    ...(scratch.some((s) => s.path === "/tmp") ? [] : [{ field: `${f}.scratch`, path: "/tmp" }]),
    ...scratch,
    ...(app.configFiles ?? []).map((x) => ({ field: `${f}.configFiles[${x.name}].mountPath`, path: x.mountPath })),
    ...(app.secretMounts ?? []).map((s, i) => ({ field: `${f}.secretMounts[${i}].mountPath`, path: s.mountPath })),
  ];
}

export function checkAppFields(c: Collector, app: AppSpec): void {
  const f = `apps[${app.name}]`;
  checkEnvNames(c, `${f}.env`, app.env, `${f}.secretEnv`, app.secretEnv);
  for (const x of app.configFiles ?? []) checkConfigFiles(c, `${f}.configFiles[${x.name}]`, x.files);

  // ValidateVolumeMounts: unique mount paths (the default /tmp scratch included).
  const mounts = appMounts(app);
  for (const p of mountPathProblems(mounts.map((m) => m.path))) {
    const m = mounts[p.index];
    if (!m) continue;
    const first = mounts.find((x) => x.path === m.path);
    c.add(m.field, m.path, `${p.message}${first && first !== m ? ` (${first.field})` : ""}; mount each volume at its own path`);
  }
  for (const m of mounts)
    if (m.path !== "" && !m.path.startsWith("/")) c.add(m.field, m.path, 'must be an absolute path inside the container, e.g. "/data"');

  // Rollout: a Deployment's RollingUpdate; a StatefulSet has no surge.
  if (app.rollout) {
    if (app.kind === "StatefulSet") {
      if (app.rollout.maxSurge !== undefined)
        c.add(`${f}.rollout.maxSurge`, app.rollout.maxSurge, "a StatefulSet has no maxSurge (it replaces pods in place); remove it");
    } else {
      for (const p of rollingUpdateProblems(app.rollout.maxSurge ?? "25%", app.rollout.maxUnavailable ?? 0))
        c.add(`${f}.rollout.${p.field}`, p.value, p.message);
    }
  }

  // HorizontalPodAutoscaler (ours, or the one KEDA creates).
  const a = app.scaling.autoscale;
  const k = app.scaling.keda;
  const stab = a?.stabilization ?? k?.stabilization;
  const sf = `${f}.scaling.${a ? "autoscale" : "keda"}.stabilization`;
  if (stab) {
    for (const [dir, key] of [
      ["scaleUp", "up"],
      ["scaleDown", "down"],
    ] as const)
      for (const p of scalingRulesProblems(dir, { stabilizationWindowSeconds: stab[key] }))
        c.add(`${sf}.${key}`, p.value, `${p.message} (the HPA's behavior.${p.field})`);
  }
  if (a) {
    for (const env of ENVIRONMENTS) {
      const min = valueFor(a.min, env);
      const max = valueFor(a.max, env);
      for (const p of hpaBoundsProblems(min, max))
        if (p.field === "maxReplicas" && typeof max === "number" && Number.isInteger(max) && max >= 1)
          c.add(`${f}.scaling.autoscale.max`, max, `${p.message} in ${env}`);
    }
    for (const key of ["cpuUtilization", "memoryUtilization"] as const) {
      const v = a[key];
      if (v === undefined) continue;
      const m = utilizationProblem(v);
      if (m) c.add(`${f}.scaling.autoscale.${key}`, v, `${m}, of the request (e.g. 70)`);
    }
    (a.podMetrics ?? []).forEach((pm, i) => {
      const pf = `${f}.scaling.autoscale.podMetrics[${i}]`;
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(pm.metric))
        c.add(
          `${pf}.metric`,
          pm.metric,
          "not a metric name of the custom metrics API (letters, digits, '_' and ':', not starting with a digit)",
        );
      const q = quantityProblem(pm.averageValue);
      if (q) c.add(`${pf}.averageValue`, pm.averageValue, `${q}; write a quantity such as "100" or "500m"`);
      else if (quantityValue(pm.averageValue) <= 0) c.add(`${pf}.averageValue`, pm.averageValue, "must be positive");
    });
  }

  // Ingress (networking validation and ingress-nginx) and the Istio gateway's paths.
  app.exposure?.ingress?.paths.forEach((p, i) => {
    for (const m of ingressPathProblems(p.path, p.pathType ?? "Prefix"))
      if (m !== "must be an absolute path")
        c.add(
          `${f}.exposure.ingress.paths[${i}].path`,
          p.path,
          `${m} (pathType ${p.pathType ?? "Prefix"}); write a plain absolute path such as "/api"`,
        );
  });
  app.traffic?.gateway?.paths.forEach((p, i) => {
    for (const m of ingressPathProblems(p.path, "Prefix"))
      if (m !== "must be an absolute path" && !m.startsWith("ingress-nginx"))
        c.add(`${f}.traffic.gateway.paths[${i}].path`, p.path, `${m}; write a plain absolute path such as "/api"`);
  });

  // NetworkPolicy ipBlocks.
  (app.network?.ingress ?? []).forEach((r, i) => {
    r.from.forEach((peer, j) => {
      if (peer.cidr !== undefined)
        for (const m of cidrProblems(peer.cidr)) c.add(`${f}.network.ingress[${i}].from[${j}].cidr`, peer.cidr, m);
    });
  });

  // Probes (ValidateProbe: non-negative delays, periods and thresholds at least 1).
  for (const [kind, p] of Object.entries(app.probes ?? {})) {
    if (!p) continue;
    const pf = `${f}.probes.${kind}`;
    if (p.initialDelaySeconds !== undefined && (!Number.isInteger(p.initialDelaySeconds) || p.initialDelaySeconds < 0))
      c.add(`${pf}.initialDelaySeconds`, p.initialDelaySeconds, "must be a whole number, 0 or more");
    for (const key of ["periodSeconds", "failureThreshold"] as const) {
      const v = p[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) c.add(`${pf}.${key}`, v, "must be a whole number of at least 1");
    }
    if (p.http && !p.http.path.startsWith("/")) c.add(`${pf}.http.path`, p.http.path, 'must be an absolute URL path, e.g. "/healthz"');
    if (p.exec && p.exec.command.length === 0) c.add(`${pf}.exec.command`, [], "must name a command");
  }

  // Pod identity: runAsNonRoot needs a non-zero UID.
  const sc = app.securityContext ?? {};
  for (const key of ["runAsUser", "runAsGroup", "fsGroup"] as const) {
    const v = sc[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 2147483647))
      c.add(
        `${f}.securityContext.${key}`,
        v,
        "must be a whole number from 1 to 2147483647: the restricted profile runs as non-root, and the kubelet refuses UID 0",
      );
  }

  // Istio durations (VirtualService, DestinationRule).
  const t = app.traffic;
  if (t) {
    const dur = (field: string, v: string | undefined): void => {
      if (v === undefined) return;
      const m = istioDurationProblem(v);
      if (m) c.add(`${f}.traffic.${field}`, v, m);
    };
    dur("timeout", t.timeout);
    dur("retries.perTryTimeout", t.retries?.perTryTimeout);
    dur("outlierDetection.interval", t.outlierDetection?.interval);
    dur("outlierDetection.baseEjectionTime", t.outlierDetection?.baseEjectionTime);
    const pct = t.outlierDetection?.maxEjectionPercent;
    if (pct !== undefined && (!Number.isInteger(pct) || pct < 0 || pct > 100))
      c.add(`${f}.traffic.outlierDetection.maxEjectionPercent`, pct, "must be a whole percentage, 0-100");
    const n5 = t.outlierDetection?.consecutive5xxErrors;
    if (n5 !== undefined && (!Number.isInteger(n5) || n5 < 0))
      c.add(`${f}.traffic.outlierDetection.consecutive5xxErrors`, n5, "must be a whole number, 0 or more");
    for (const [key, v] of Object.entries(t.connectionPool ?? {}))
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        c.add(`${f}.traffic.connectionPool.${key}`, v, "must be a whole number of at least 1");
  }

  // Prometheus durations and names (ServiceMonitor, PrometheusRule).
  const mon = app.monitoring;
  if (mon) {
    if (mon.interval !== undefined) {
      const m = prometheusDurationProblem(mon.interval);
      if (m) c.add(`${f}.monitoring.interval`, mon.interval, m);
    }
    if (mon.path !== undefined && !mon.path.startsWith("/"))
      c.add(`${f}.monitoring.path`, mon.path, 'must be an absolute URL path, e.g. "/metrics"');
    (mon.alerts ?? []).forEach((al) => {
      const af = `${f}.monitoring.alerts[${al.name}]`;
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(al.name))
        c.add(`${af}.name`, al.name, "an alert name is a Prometheus metric name: letters, digits, '_' and ':'; write it in UpperCamelCase");
      if (al.for !== undefined) {
        const m = prometheusDurationProblem(al.for);
        if (m) c.add(`${af}.for`, al.for, m);
      }
      if (!al.expr.trim()) c.add(`${af}.expr`, al.expr, "must not be empty");
    });
  }

  // RBAC: a rule whose groups do not serve its resources grants nothing.
  (app.apiAccess?.rules ?? []).forEach((r, i) => {
    for (const p of policyRuleProblems(r)) c.add(`${f}.apiAccess.rules[${i}].${p.field}`, p.value, p.message);
  });
}
