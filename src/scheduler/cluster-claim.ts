import type { HeldLock, ScheduleLocks } from "../cluster/schedule-lock.ts";
import type { Logger } from "../log.ts";
import type { JobState } from "./job-state.ts";

/**
 * Asks the cluster's Redis for one tick of a job (docs/SCHEDULE.md, "On a
 * cluster") and counts what came back. Resolves with the run lock when this
 * node is to run the tick, undefined when it is not:
 * - another node claimed the tick: counted `elsewhere`;
 * - the job's previous run still holds its lock somewhere: a skip, as alone;
 * - Redis away, an error or no answer within the lock TTL: the tick is not
 *   run here (a run without the lock could be a second run of the tick),
 *   counted `lockErrors`; the first of a streak is logged.
 */
export async function claimTick(locks: ScheduleLocks, job: JobState, tick: number, log: Logger): Promise<HeldLock | undefined> {
  const name = job.spec.name;
  const claim = await locks.claim(name, tick, job.spec.overlap);
  const cluster = job.cluster!;
  if (claim.outcome !== "error" && job.lockErrorStreak > 0) {
    log.info(`scheduled job "${name}": the cluster lock is back after ${job.lockErrorStreak} tick${job.lockErrorStreak === 1 ? "" : "s"} not run`);
    job.lockErrorStreak = 0;
  }
  if ((claim.outcome === "won" || claim.outcome === "taken") && job.skipStreak > 0 && job.running.size === 0) {
    // The run that held the lock was another node's: its end is seen here as the lock coming free.
    log.info(`scheduled job "${name}": the cluster lock is free again; ${job.skipStreak} tick${job.skipStreak === 1 ? "" : "s"} skipped meanwhile`);
    job.skipStreak = 0;
  }
  switch (claim.outcome) {
    case "won":
      return claim.lock;
    case "taken":
      cluster.elsewhere++;
      return undefined;
    case "busy":
      job.skips++;
      if (job.skipStreak++ === 0) log.warn(`scheduled job "${name}" is still running from an earlier tick (lock held by ${claim.owner}): skipping ticks until it ends`);
      return undefined;
    case "error":
      cluster.lockErrors++;
      if (job.lockErrorStreak++ === 0) log.warn(`scheduled job "${name}" not run: cannot take its cluster lock (${claim.message}); ticks are not run here until Redis answers`);
      return undefined;
  }
}
