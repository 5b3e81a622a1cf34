/**
 * CronJob schedules as the API server parses them: robfig/cron v3's standard parser
 * (cron.ParseStandard: minute hour day-of-month month day-of-week, plus descriptors),
 * called by kubernetes/kubernetes pkg/apis/batch/validation/validation.go
 * validateScheduleFormat, which also refuses `TZ=`/`CRON_TZ=` in the schedule (the
 * `timeZone` field replaces them).
 *
 * Reference: robfig/cron parser.go (ParseStandard, getField, getRange, parseDescriptor,
 * bounds seconds/minutes/hours/dom/months/dow with names jan-dec and sun-sat); its
 * parser_test.go supplies the table cases in test/rules/cron.test.ts.
 */
import { parseGoDuration } from "./duration.js";

interface Bounds {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: readonly Bounds[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: DAYS },
];

/** robfig's descriptors; `@every <duration>` is parsed by time.ParseDuration. */
export const CRON_DESCRIPTORS: readonly string[] = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

function value(expr: string, b: Bounds): number | string {
  const named = b.names?.indexOf(expr.toLowerCase()) ?? -1;
  if (named >= 0) return named + (b.name === "month" ? 1 : 0);
  if (!/^[0-9]+$/.test(expr)) return `failed to parse int from ${expr}`;
  return Number(expr);
}

/** getRange: one comma-separated part, `*`/`?`, `a`, `a-b`, each optionally `/step`. */
function rangeProblem(part: string, b: Bounds): string | undefined {
  const [rangeExpr = "", stepExpr, ...extra] = part.split("/");
  if (extra.length > 0) return `too many slashes: ${part}`;
  const lowHigh = rangeExpr.split("-");
  let start: number;
  let end: number;
  let single = false;
  if (rangeExpr === "*" || rangeExpr === "?") {
    start = b.min;
    end = b.max;
  } else {
    if (lowHigh.length > 2) return `too many hyphens: ${rangeExpr}`;
    const s0 = value(lowHigh[0] ?? "", b);
    if (typeof s0 === "string") return s0;
    start = s0;
    if (lowHigh.length === 2) {
      const e0 = value(lowHigh[1] ?? "", b);
      if (typeof e0 === "string") return e0;
      end = e0;
    } else {
      end = start;
      single = true;
    }
  }
  if (stepExpr !== undefined) {
    if (/^-[0-9]+$/.test(stepExpr)) return `negative number (${stepExpr}) not allowed: ${stepExpr}`;
    if (!/^[0-9]+$/.test(stepExpr)) return `failed to parse int from ${stepExpr}`;
    const step = Number(stepExpr);
    if (step === 0) return `step of range should be a positive number: ${part}`;
    if (single) end = b.max; // "N/step" means N through the maximum
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${part}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${part}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${part}`;
  return undefined;
}

/** Why cron.ParseStandard (and so the API server) refuses a schedule, or undefined. */
export function cronScheduleProblem(schedule: string): string | undefined {
  if (schedule.trim() === "") return "empty spec string";
  if (schedule.includes("TZ")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
  const spec = schedule.trim();
  if (spec.startsWith("@")) {
    if (spec.startsWith("@every ")) {
      const d = parseGoDuration(spec.slice("@every ".length).trim());
      if ("error" in d) return `failed to parse duration ${spec}: ${d.error}`;
      if (d.nanos <= 0) return `failed to parse duration ${spec}: must be positive`;
      return undefined;
    }
    if (CRON_DESCRIPTORS.includes(spec)) return undefined;
    return `unrecognized descriptor: ${spec}; use one of ${CRON_DESCRIPTORS.join(", ")} or "@every <duration>"`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}: ${spec}`;
  for (let i = 0; i < 5; i++) {
    const b = FIELDS[i] as Bounds;
    for (const part of (fields[i] ?? "").split(",")) {
      const p = rangeProblem(part, b);
      if (p) return `${b.name} field: ${p}`;
    }
  }
  return undefined;
}
