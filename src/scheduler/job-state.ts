import type { JobSpec } from "./job-spec.ts";
import { type Due, dueWall, type Moment, type Timing } from "./planner.ts";
import { describeTiming, parseCron } from "./spec.ts";
import { nextGridTick } from "../cluster/tick-identity.ts";

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
  /** With --cluster-redis only: what the cluster lock did with this job's ticks here. */
  cluster?: ClusterJobStatus;
}

/** A job's cluster lock figures on this node; `runs` above counts the runs this node started. */
export interface ClusterJobStatus {
  /** Ticks another node claimed (and ran), so this node did not. */
  elsewhere: number;
  /** Ticks not run here because the lock could not be taken (Redis away, an error or no answer). */
  lockErrors: number;
  /** Runs whose lock expired or passed to another run before they ended (their signal was aborted). */
  locksLost: number;
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
  /** Present on a cluster (--cluster-redis). */
  cluster?: ClusterJobStatus;
  /** A claim on Redis is under way: a tick meanwhile counts as one whose previous run still goes. */
  claiming = false;
  /** Consecutive ticks without a lock, so the first is logged and not every one. */
  lockErrorStreak = 0;
  /** Consecutive skipped ticks, so the first of a streak is logged and not every one. */
  skipStreak = 0;
  last?: { startedWall: number; ms: number; error?: string };

  /** `clustered`: the job's ticks must be named alike on every node (src/cluster/tick-identity.ts). */
  constructor(spec: JobSpec, clustered = false) {
    this.spec = spec;
    this.timing = timingOf(spec, clustered);
    if (clustered) this.cluster = { elsewhere: 0, lockErrors: 0, locksLost: 0 };
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
      ...(this.cluster ? { cluster: { ...this.cluster } } : {}),
    };
  }
}

function timingOf(spec: JobSpec, clustered: boolean): Timing {
  const every = spec.every;
  // On a cluster an interval's ticks are wall-clock times on the epoch's grid, the same on every node.
  if (every !== undefined) return clustered ? { cron: (after) => nextGridTick(every, after) } : { every };
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
