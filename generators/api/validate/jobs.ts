/** A tenant's Jobs and CronJobs: names, schedules, steps and their images. */
import type { TenantSpec } from "../tenant.js";
import { derivedNameProblems } from "../../rules/names.js";
import type { Collector } from "./collector.js";
import { checkImage, checkLiteralEnv } from "./app.js";

export function checkJobs(c: Collector, tenant: TenantSpec): void {
  const jobs = tenant.jobs ?? [];
  c.unique(
    "jobs[].name",
    jobs.map((j) => j.name),
    "job name",
  );
  const secrets = tenant.secrets ?? [];
  for (const job of jobs) {
    const f = `jobs[${job.name}]`;
    c.dnsLabel(`${f}.name`, job.name, "a job name");
    for (const d of derivedNameProblems(job.schedule === undefined ? "Job" : "CronJob", job.name, 1, [])) {
      for (const m of d.problems) c.add(`${f}.name`, job.name, `${d.what} ${m}`);
    }
    if (job.workSize !== undefined) c.quantity(`${f}.workSize`, job.workSize, "storage");
    if (tenant.apps.some((a) => a.name === job.name))
      c.add(`${f}.name`, job.name, "an app has this name; jobs and apps share ServiceAccount and NetworkPolicy names");
    if (job.steps.length === 0) c.add(`${f}.steps`, [], "declare at least one step");
    c.unique(
      `${f}.steps[].name`,
      job.steps.map((s) => s.name),
      "step name",
    );
    for (const step of job.steps) {
      const sf = `${f}.steps[${step.name}]`;
      c.dnsLabel(`${sf}.name`, step.name, "a container name");
      checkImage(c, `${sf}.image`, step.image);
      checkLiteralEnv(c, `${sf}.env`, step.env);
      if (step.resources) c.resources(`${sf}.resources`, step.resources);
      for (const [name, ref] of Object.entries(step.secretEnv ?? {})) {
        const s = secrets.find((x) => x.name === ref.secret);
        if (!s)
          c.add(
            `${sf}.secretEnv.${name}.secret`,
            ref.secret,
            `no tenant secret of that name; declared: ${secrets.map((x) => x.name).join(", ") || "none"}`,
          );
        else if (!s.properties.includes(ref.property))
          c.add(
            `${sf}.secretEnv.${name}.property`,
            ref.property,
            `secret ${s.name} has no such property; declared: ${s.properties.join(", ")}`,
          );
      }
    }
  }
  if (tenant.quota) {
    c.perEnv("quota", tenant.quota, (field, q) => {
      c.resources(field, q);
      if (q.storage !== undefined) c.quantity(`${field}.storage`, q.storage, "storage");
      if (q.containerDefaults) c.resources(`${field}.containerDefaults`, q.containerDefaults);
      for (const [k, v] of Object.entries(q.containerMax ?? {}))
        if (v !== undefined) c.quantity(`${field}.containerMax.${k}`, v, k === "cpu" ? "cpu" : "memory");
    });
  }
}
