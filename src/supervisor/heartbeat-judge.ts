/**
 * When a ready worker counts as unresponsive. Pure, so it is unit-tested
 * beside this file; the pool's watchdog feeds it the running clock.
 */

/** How often the watchdog looks at the workers. */
export const WATCHDOG_INTERVAL_MS = 500;

/** How many of a worker's heartbeats (about a second apart) its recent lag is taken from. */
export const LAG_WINDOW_HEARTBEATS = 10;

export interface HeartbeatView {
  /** Running-clock time (see clock.ts) of the worker's last message. */
  lastSeen: number;
  /** The worst event-loop delay the worker reported in its recent heartbeats, in ms. */
  recentLag: number;
}

/**
 * How long a worker may stay silent. A worker whose recent heartbeats said its
 * loop ran late (a starved host, or long synchronous requests) is slow, not
 * hung: its next heartbeat is expected about that much later, so it gets that
 * much more, up to the timeout again (at most twice the timeout in all).
 */
export function allowedSilence(timeout: number, reportedLag: number): number {
  return timeout + Math.min(Math.max(0, reportedLag), timeout);
}

/** The silence, in ms, of a worker past its allowance; 0 while it is within it. */
export function overdueSilence(worker: HeartbeatView, now: number, timeout: number): number {
  const silence = now - worker.lastSeen;
  return silence >= allowedSilence(timeout, worker.recentLag) ? silence : 0;
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
