import type { JobSpec } from "./job-spec.ts";
import { type Due, dueWall, type Moment, type Timing } from "./planner.ts";
import { describeTiming, parseCron } from "./spec.ts";

/** A run the supervisor handed to a worker and has not heard the end of. */
export interface Run {
  id: number;
  job: string;
  worker: { slot: number; pid: number };
  startedMono: number;
  startedWall: number;
}

/** One job as `lsky status --json` shows it; times are ISO dates, durations ms. */
export interface JobStatus {
  name: string;
  timing: string;
  overlap: boolean;
  nextRun: string | null;
  lastRun: string | null;
  lastDurationMs: number | null;
  /** "ok", "failed", or null before the first run ended. */
  lastResult: "ok" | "failed" | null;
  lastError: string | null;
  /** Runs going on now. */
  running: number;
  /** Runs started, failures among them, ticks skipped because the previous run was still going, ticks missed (no worker ready, or a pause). */
  runs: number;
  failures: number;
  skips: number;
  missed: number;
}

/** The supervisor's record of one job: its timing, its next tick and its counters. */
export class JobState {
  spec: JobSpec;
  readonly timing: Timing;
  due: Due = { clock: "never" };
  readonly running = new Map<number, Run>();
  runs = 0;
  failures = 0;
  skips = 0;
  missed = 0;
  /** Consecutive skipped ticks, so the first of a streak is logged and not every one. */
  skipStreak = 0;
  last?: { startedWall: number; ms: number; error?: string };

  constructor(spec: JobSpec) {
    this.spec = spec;
    this.timing = timingOf(spec);
  }

  status(now: Moment): JobStatus {
    const next = dueWall(this.due, now);
    return {
      name: this.spec.name,
      timing: describeTiming(this.spec),
      overlap: this.spec.overlap,
      nextRun: next === null ? null : new Date(next).toISOString(),
      lastRun: this.last ? new Date(this.last.startedWall).toISOString() : null,
      lastDurationMs: this.last ? Math.round(this.last.ms) : null,
      lastResult: this.last ? (this.last.error === undefined ? "ok" : "failed") : null,
      lastError: this.last?.error ?? null,
      running: this.running.size,
      runs: this.runs,
      failures: this.failures,
      skips: this.skips,
      missed: this.missed,
    };
  }
}

function timingOf(spec: JobSpec): Timing {
  if (spec.every !== undefined) return { every: spec.every };
  const cron = parseCron(spec.cron, spec.timezone);
  // The worker checked the pattern and zone; should croner still throw, the job is never due rather than the supervisor failing.
  return {
    cron: (after) => {
      try {
        return cron.nextRun(new Date(after))?.getTime() ?? null;
      } catch {
        return null;
      }
    },
  };
}
