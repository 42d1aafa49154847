/**
 * When a ready worker counts as unresponsive. Pure, so it is unit-tested
 * beside this file; the pool's watchdog feeds it the running clock.
 */

/** How often the watchdog looks at the workers. */
export const WATCHDOG_INTERVAL_MS = 500;

export interface HeartbeatView {
  /** Running-clock time (see clock.ts) of the worker's last message. */
  lastSeen: number;
  /** The worst event-loop delay the worker measured in its last heartbeat period, in ms. */
  reportedLag: number;
}

/**
 * How long a worker may stay silent. A worker whose last heartbeat said its
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
  return silence >= allowedSilence(timeout, worker.reportedLag) ? silence : 0;
}
