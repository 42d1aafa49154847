/**
 * The tick planner: when a job is due next, and what to do when the
 * supervisor's timer wakes. Pure (the clocks are passed in), so the rules
 * below are tested with fake time (planner.test.ts).
 *
 * - `every` ticks sit on a grid of the monotonic clock (clock.ts): a late
 *   timer does not shift later ticks, and a wall-clock step changes nothing.
 * - cron ticks are wall-clock times (that is what a cron pattern means). The
 *   timer never sleeps more than WALL_RECHECK_MS towards one, so a wall clock
 *   that steps forward is noticed within that time, and one that steps back
 *   makes the tick wait for the wall time it names.
 * - Ticks missed while the supervisor was paused or starved are not replayed:
 *   the first wake after the gap fires once and counts the rest as missed.
 */

/** Both clocks read at one moment, in ms. */
export interface Moment {
  mono: number;
  wall: number;
}

/** When a job is due: on the monotonic clock (`every`) or the wall clock (cron); `never` for a pattern with no future match. */
export type Due = { clock: "mono"; at: number } | { clock: "wall"; at: number } | { clock: "never" };

/** How a job is timed: a fixed interval, or the next wall-clock match of a cron pattern strictly after a time (null: none). */
export type Timing = { every: number } | { cron: (afterWall: number) => number | null };

export interface Tick {
  /** Run the job now (once, whatever was missed). */
  fire: boolean;
  /** Ticks that passed without a run, before this one. */
  missed: number;
  next: Due;
  /** The tick this run stands for (the latest one passed), on the due's clock; absent when not firing. */
  tickAt?: number;
}

export const WALL_RECHECK_MS = 1000;
/** Past this many, missed cron ticks are not counted one by one (a wall clock that jumped years ahead). */
export const MAX_COUNTED_MISSES = 1000;

/** The first tick after a job becomes known: one interval on, or the pattern's next match. */
export function firstDue(timing: Timing, now: Moment): Due {
  if ("every" in timing) return { clock: "mono", at: now.mono + timing.every };
  return wallDue(timing.cron(now.wall));
}

/** What to do at `now` for a job due at `due`. */
export function planTick(timing: Timing, due: Due, now: Moment): Tick {
  if (due.clock === "never") return { fire: false, missed: 0, next: due };
  if (due.clock === "mono") {
    if (now.mono < due.at || !("every" in timing)) return { fire: false, missed: 0, next: due };
    const missed = Math.floor((now.mono - due.at) / timing.every);
    const tickAt = due.at + missed * timing.every;
    return { fire: true, missed, next: { clock: "mono", at: tickAt + timing.every }, tickAt };
  }
  if (now.wall < due.at || !("cron" in timing)) return { fire: false, missed: 0, next: due };
  let missed = 0;
  let tickAt = due.at;
  let next = timing.cron(due.at);
  while (next !== null && next <= now.wall) {
    if (++missed >= MAX_COUNTED_MISSES) {
      next = timing.cron(now.wall);
      break;
    }
    tickAt = next;
    next = timing.cron(next);
  }
  return { fire: true, missed, next: wallDue(next), tickAt };
}

/** How long the timer may sleep before looking at this job again (null: no need to). */
export function sleepFor(due: Due, now: Moment): number | null {
  if (due.clock === "never") return null;
  if (due.clock === "mono") return Math.max(0, due.at - now.mono);
  return Math.max(0, Math.min(due.at - now.wall, WALL_RECHECK_MS));
}

/** A tick's time on the wall clock (what a job is told as `scheduledAt`). */
export function tickWall(due: Due, tickAt: number, now: Moment): number {
  return due.clock === "mono" ? now.wall - (now.mono - tickAt) : tickAt;
}

/** The due time as a wall-clock time (status shows it as a date). */
export function dueWall(due: Due, now: Moment): number | null {
  if (due.clock === "never") return null;
  return due.clock === "wall" ? due.at : now.wall + (due.at - now.mono);
}

function wallDue(at: number | null): Due {
  return at === null ? { clock: "never" } : { clock: "wall", at };
}
