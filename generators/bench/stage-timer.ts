/**
 * Times one benchmark stage the same way every time: a warm-up run that samples memory
 * (this process, and its kustomize children through GNU time when present), then `runs`
 * timed runs whose wall time and CPU (this process + children) are summarized.
 */
import { fmtS, GNU_TIME, measuringBuilder, peakRss, seconds, summarize, type ChildPeak, type Summary } from "./measure.js";
import type { FolderBuilder } from "../render/render.js";

export interface StageResult extends Summary {
  name: string;
  note: string;
  /** Peak RSS of the bench process during the warm-up run (sampled), bytes. */
  nodePeak?: number;
  /** Peak RSS of the largest child process (GNU time), bytes. */
  childPeak?: number;
  /** nodePeak + concurrent children × childPeak: the most the stage can hold at once. */
  estPeak?: number;
  /** median / floor. */
  ratio?: number;
  /** Median CPU seconds (this process + every child): less sensitive than wall time to a busy machine. */
  cpu?: number;
}

export interface StageContext {
  /** A kustomize builder that records its children's peak RSS and CPU; undefined without GNU time. */
  builder: FolderBuilder | undefined;
  peak: ChildPeak | undefined;
  /** The run's index: -1 for the warm-up. */
  i: number;
}

export interface StageOptions {
  /** Runs before each run (the warm-up included), untimed. */
  setup?: (i: number) => Promise<unknown>;
  /** Children that run at once, for the stage's estimated peak. */
  children?: number;
}

export class StageTimer {
  readonly stages: StageResult[] = [];

  constructor(
    private readonly runs: number,
    private readonly log: (line: string) => void,
  ) {}

  async time(name: string, note: string, body: (ctx: StageContext) => Promise<unknown>, opts: StageOptions = {}): Promise<StageResult> {
    const childPeak: ChildPeak = { bytes: 0 };
    await opts.setup?.(-1);
    const { peak: nodePeak } = await peakRss(() =>
      body({ builder: GNU_TIME ? measuringBuilder(childPeak) : undefined, peak: childPeak, i: -1 }),
    );
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < this.runs; i++) {
      await opts.setup?.(i);
      const children: ChildPeak = { bytes: 0, cpu: 0 };
      const self0 = process.cpuUsage();
      times.push(await seconds(() => body({ builder: GNU_TIME ? measuringBuilder(children) : undefined, peak: children, i })));
      const self = process.cpuUsage(self0);
      cpu.push((self.user + self.system) / 1e6 + (children.cpu ?? 0));
    }
    const child = GNU_TIME && childPeak.bytes > 0 ? childPeak.bytes : undefined;
    const r: StageResult = {
      name,
      note,
      ...summarize(times),
      cpu: summarize(cpu).median,
      nodePeak,
      ...(child !== undefined ? { childPeak: child, estPeak: nodePeak + (opts.children ?? 0) * child } : {}),
    };
    this.stages.push(r);
    this.log(`  ${name.padEnd(34)} median ${fmtS(r.median)} s  (min ${fmtS(r.min)}, max ${fmtS(r.max)}; cpu ${fmtS(r.cpu ?? NaN)} s)`);
    return r;
  }
}
