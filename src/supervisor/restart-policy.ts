/**
 * When to restart a worker that exited unexpectedly, and when to give up.
 * Pure, so it is unit-tested beside this file.
 */
export interface RestartPolicy {
  /** Delay before the first restart. */
  initialDelay: number;
  /** The delay doubles on each consecutive failure up to this. */
  maxDelay: number;
  /** A worker that stayed up this long resets the failure count. */
  stablePeriod: number;
  /**
   * Consecutive unstable exits (failed boots, or crashes of workers that lived
   * less than `stablePeriod`) of one slot after which the supervisor gives up
   * and exits non-zero rather than restart a broken app forever.
   */
  maxFailures: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelay: 100,
  maxDelay: 10_000,
  stablePeriod: 10_000,
  maxFailures: 5,
};

/** The delay before restart number `failures` (1-based) of a slot. */
export function restartDelay(policy: RestartPolicy, failures: number): number {
  if (failures <= 1) return failures <= 0 ? 0 : policy.initialDelay;
  return Math.min(policy.maxDelay, policy.initialDelay * 2 ** (failures - 1));
}

/** The failure count after a worker that lived `uptime` ms exited unexpectedly. */
export function nextFailureCount(policy: RestartPolicy, previous: number, uptime: number): number {
  return uptime >= policy.stablePeriod ? 1 : previous + 1;
}

/** True when a slot with this many consecutive failures must not be restarted again. */
export function shouldGiveUp(policy: RestartPolicy, failures: number): boolean {
  return failures >= policy.maxFailures;
}
