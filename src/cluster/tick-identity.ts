/**
 * The identity of a scheduled tick that every node of a cluster computes
 * alike: the tick's scheduled wall-clock time in ms, never a node's own
 * reading of its clock.
 *
 * Alone, lsky puts `every` ticks on a grid of its monotonic clock, started
 * when the schedule became known; that grid is private to one process. On a
 * cluster the grid is the wall clock's, anchored at the Unix epoch: the ticks
 * of an `every: "200ms"` job are the whole multiples of 200 ms since
 * 1970-01-01T00:00:00Z, whichever node looks. Cron ticks already are
 * wall-clock times (the time the pattern matched).
 *
 * Clocks of nodes differ by a few ms (NTP keeps them there). A node whose
 * clock is behind wakes a few ms later, at a reading just past the grid
 * time, and names the same tick: the grid time at or before its reading. As
 * long as the skew stays under one interval the nodes agree on every tick;
 * beyond that they would name neighbouring ticks, and the claim (a tick at or
 * before the latest claimed one is never run) still keeps it to one run.
 */

/** The first tick of an `every` job strictly after `afterWall`. */
export function nextGridTick(every: number, afterWall: number): number {
  return (Math.floor(afterWall / every) + 1) * every;
}

/** The latest tick of an `every` job at or before `wall`. */
export function gridTickAt(every: number, wall: number): number {
  return Math.floor(wall / every) * every;
}
