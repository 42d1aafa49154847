import type { LskyBus } from "../bus/app-api.ts";

/**
 * One entry of the app's `schedule` (docs/SCHEDULE.md). Each tick runs `run`
 * once in the whole pool, on one ready worker the supervisor chooses.
 *
 * @example
 * export default {
 *   fetch: app.fetch,
 *   schedule: [
 *     { name: "sweep", every: "500ms", async run(ctx) { await sweep(); } },
 *     { name: "report", cron: "0 *\/5 * * * *", run: () => report() },
 *   ],
 * };
 */
export interface ScheduledJob {
  /** Unique in the schedule; names the job in logs, `lsky status` and /metrics. */
  name: string;
  /** A fixed interval: `"10ms"` up to `"24h"` (units ms, s, m, h), or a number of ms. */
  every?: string | number;
  /** A cron pattern with 5 fields, or 6 with seconds first (`"*\/2 * * * * *"`). */
  cron?: string;
  /** IANA time zone a cron pattern is read in (default: the server's local time). */
  timezone?: string;
  /** Let a tick start a run while the previous one is still going (default false: that tick is skipped). */
  overlap?: boolean;
  /**
   * A run still going after this long (`"30s"`, or ms) counts as failed, frees
   * the no-overlap lock and has `ctx.signal` aborted. Default: no limit.
   */
  timeout?: string | number;
  run(ctx: ScheduleContext): unknown;
}

/** The argument of a job's `run`. */
export interface ScheduleContext {
  /** The job's name. */
  name: string;
  /** The worker running it. */
  workerId: number;
  /** The tick this run belongs to (wall-clock time). */
  scheduledAt: Date;
  /** Numbers the runs of all jobs since the supervisor started. */
  runId: number;
  /** The message bus (docs/BUS.md). */
  bus: LskyBus;
  /**
   * On a cluster (--cluster-redis) only: the node running this tick, and the
   * tick's fencing token, larger for every later run of the job anywhere in
   * the cluster. A job that writes somewhere keeps the largest token it wrote
   * with and refuses a write with a smaller one (docs/SCHEDULE.md, "On a cluster").
   */
  cluster?: { node: string; fence: number };
  /** Aborted when the job's `timeout` passes, or its cluster lock is lost: a job that honours it stops, one that does not runs on unseen. */
  signal: AbortSignal;
}
