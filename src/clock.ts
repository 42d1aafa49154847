/**
 * Clocks for the durations the supervisor judges. Wall-clock time
 * (`Date.now()`) can step (NTP, a manual `date -s`), so none of them uses it.
 */

/** Monotonic milliseconds: never steps, but keeps counting while the process is stopped. */
export const monotonicNow = (): number => performance.now();

/** How often the running clock looks at the monotonic one. */
export const RUNNING_CLOCK_TICK_MS = 250;

/**
 * A monotonic clock that stands still while the supervisor does not run.
 *
 * A supervisor stopped by SIGSTOP, `docker pause` or a VM freeze, or starved
 * of CPU by a busy host, cannot read its workers' heartbeats; counting that
 * time as the workers' silence would kill every worker at once when it comes
 * back. The clock is read every tick (and whenever asked): a gap between two
 * readings much longer than a tick means the process was not running, and
 * that gap (less one tick, which a running process would also have taken) is
 * left out. The first reading after a pause sees the gap, whichever code
 * makes it, so a watchdog that runs before the queued heartbeats are read
 * still sees the worker as recent.
 */
export class RunningClock {
  private lastRaw: number;
  private excluded = 0;
  private timer?: ReturnType<typeof setInterval>;
  /** Gaps left out so far (each one a pause or a starved stretch). */
  stalls = 0;

  constructor(
    private readonly readRaw: () => number = monotonicNow,
    private readonly tickMs = RUNNING_CLOCK_TICK_MS,
    /** Told of each gap left out, in ms, for a log line. */
    private readonly onStall?: (gapMs: number) => void,
  ) {
    this.lastRaw = readRaw();
  }

  /** Milliseconds the supervisor has been running (an origin of its own; compare two readings). */
  now(): number {
    const raw = this.readRaw();
    const gap = raw - this.lastRaw;
    if (gap > 2 * this.tickMs) {
      this.excluded += gap - this.tickMs;
      this.stalls++;
      this.onStall?.(gap);
    }
    this.lastRaw = raw;
    return raw - this.excluded;
  }

  /** Reads the clock every tick, so that no gap goes unseen; stop() ends it. */
  start(): this {
    this.timer ??= setInterval(() => void this.now(), this.tickMs);
    (this.timer as { unref?: () => void }).unref?.();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Runs `action` once the supervisor has been running for `ms` on `clock`: a
 * deadline that passed while the supervisor itself was stopped is extended
 * by that time, since the worker could not be heard meanwhile. `after`
 * schedules on the worker's timers, cleared when it exits.
 */
export function afterRunning(clock: RunningClock, worker: { after(ms: number, action: () => void): void }, ms: number, action: () => void): void {
  const due = clock.now() + ms;
  const check = () => {
    const left = due - clock.now();
    if (left > 0) worker.after(left, check);
    else action();
  };
  worker.after(ms, check);
}
