/**
 * A problem in the sources (fleet, tenants, release pins), and the error that carries
 * all of them, sorted and without repeats. Its own module so that every input's validator
 * (api/validate.ts, api/pins.ts) can report problems without importing the others.
 */
export interface SpecProblem {
  file: string;
  field: string;
  value: unknown;
  message: string;
  /** Where it was found in generated output (a file and a schema path), printed only with --debug. */
  debug?: string;
}

export class SpecError extends Error {
  readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join("\n"));
    this.name = "SpecError";
    this.problems = sorted;
  }
}

/** A value as printed in a problem: JSON, shortened. Secret-looking values arrive here already redacted (rules/secret-names.ts). */
function shown(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}: ${p.field}: ${shown(p.value)}: ${p.message}`;
}

/** Sorted by file, then field (naturally: "apps[a].x" before "apps[a].x.y"), without repeats. */
export function sortProblems(problems: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => (a.file === b.file ? compareFields(a.field, b.field) : a.file < b.file ? -1 : 1));
}

function compareFields(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
