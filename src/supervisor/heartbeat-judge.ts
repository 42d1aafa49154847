import { type KernelProgress, madeProgress } from "./process-io.ts";

/**
 * When a ready worker counts as unresponsive. Pure, so it is unit-tested
 * beside this file; the pool's watchdog feeds it the running clock.
 */

/** How often the watchdog looks at the workers. */
export const WATCHDOG_INTERVAL_MS = 500;

/** How many of a worker's heartbeats (about a second apart) its recent lag is taken from. */
export const LAG_WINDOW_HEARTBEATS = 10;

/**
 * How long a worker may stay silent. A worker whose recent heartbeats said its
 * loop ran late (a starved host, or long synchronous requests) is slow, not
 * hung: its next heartbeat is expected about that much later, so it gets that
 * much more, up to the timeout again (at most twice the timeout in all).
 */
export function allowedSilence(timeout: number, reportedLag: number): number {
  return timeout + Math.min(Math.max(0, reportedLag), timeout);
}

/** A silent worker still doing I/O is killed anyway once silent this many timeouts. */
export const BUSY_CEILING_TIMEOUTS = 3;

/**
 * - `alive`: heard from within its allowance.
 * - `watch`: silent past it; note what it did in the kernel and look again next tick.
 * - `busy`: silent, but it entered the kernel since the last look: overloaded, not hung.
 * - `unresponsive`: silent and idle in the kernel (its loop is stuck), or silent
 *   past the ceiling whatever it does, or its progress cannot be read.
 */
export type Verdict = "alive" | "watch" | "busy" | "unresponsive";

export interface SilenceCheck {
  /** Running-clock ms since its last message. */
  silence: number;
  recentLag: number;
  timeout: number;
  /** What it did in the kernel, now and at the last look (undefined: not read, or no look yet). */
  progressNow: KernelProgress | undefined;
  progressBefore: KernelProgress | undefined;
}

export function judgeSilence(check: SilenceCheck): Verdict {
  if (check.silence < allowedSilence(check.timeout, check.recentLag)) return "alive";
  if (check.silence >= BUSY_CEILING_TIMEOUTS * check.timeout || check.progressNow === undefined) return "unresponsive";
  if (check.progressBefore === undefined) return "watch";
  return madeProgress(check.progressBefore, check.progressNow) ? "busy" : "unresponsive";
}

/**
 * The worst of the last few reported lags. One heartbeat's lag is forgotten
 * by the next (a worker that just finished a 3 s request reports ~0 a second
 * later); how slow a worker has been lately is the better guess at how late
 * its next heartbeat may be.
 */
export class RecentLag {
  private readonly lags: number[] = [];

  constructor(private readonly size = LAG_WINDOW_HEARTBEATS) {}

  record(lag: number): void {
    this.lags.push(lag);
    if (this.lags.length > this.size) this.lags.shift();
  }

  worst(): number {
    return this.lags.length ? Math.max(...this.lags) : 0;
  }
}
