/**
 * A problem in the sources (fleet, tenants, release pins), and the error that carries
 * all of them. Its own module so that every input's validator (api/validate.ts,
 * release/pins.ts) can report problems without importing the others.
 */
export interface SpecProblem {
  file: string;
  field: string;
  value: unknown;
  message: string;
}

export class SpecError extends Error {
  constructor(readonly problems: readonly SpecProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "SpecError";
  }
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}: ${p.field}: ${JSON.stringify(p.value)}: ${p.message}`;
}
