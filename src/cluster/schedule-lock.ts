import { CLAIM_SCRIPT, readClaimReply, RELEASE_SCRIPT, RENEW_SCRIPT } from "./lock-scripts.ts";
import { ownerToken, runLockKey, scheduleKeys } from "./schedule-keys.ts";

/** What the lock needs of a Redis client; ioredis's `Redis` is one. */
export interface ScriptRunner {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface ScheduleLockOptions {
  /** The cluster's key prefix (--cluster-prefix). */
  prefix: string;
  /** This server's node name, part of every owner token. */
  node: string;
  /** Lock TTL in ms (--cluster-lock-ttl): how long a lock outlives a node that stopped renewing it. */
  ttl: number;
}

/** A won claim's run lock: renewed until released, and said lost when it could not be. */
export interface HeldLock {
  /** The claim's fencing token: larger for every later claim of the job in the cluster. */
  readonly fence: number;
  /** Called once if the lock expired or passed to another run before release. */
  onLost(listener: (reason: string) => void): void;
  /** Stops renewing and deletes the lock if it is still this run's. Never throws. */
  release(): void;
}

export type TickClaim =
  | { outcome: "won"; lock: HeldLock }
  /** Another node claimed this tick (or a later one). */
  | { outcome: "taken" }
  /** The job's previous run still holds its lock, here or on another node (`owner` names it). */
  | { outcome: "busy"; owner: string }
  /** Redis did not answer, or answered with an error: the tick is not run here. */
  | { outcome: "error"; message: string };

/** Claims ticks of scheduled jobs on the cluster's Redis (docs/SCHEDULE.md, "On a cluster"). */
export interface ScheduleLocks {
  readonly node: string;
  readonly ttl: number;
  claim(job: string, tick: number, overlap: boolean): Promise<TickClaim>;
}

export function createScheduleLocks(redis: ScriptRunner, options: ScheduleLockOptions): ScheduleLocks {
  const { prefix, node, ttl } = options;
  return {
    node,
    ttl,
    async claim(job, tick, overlap) {
      const keys = scheduleKeys(prefix, job);
      const lockKey = runLockKey(keys, tick, overlap);
      const token = ownerToken(node, tick);
      let reply;
      try {
        // Bounded by the TTL: a Redis that hangs must not pile claims up.
        reply = readClaimReply(await withinMs(redis.eval(CLAIM_SCRIPT, 3, keys.mark, keys.fence, lockKey, tick, token, ttl), ttl));
      } catch (error) {
        return { outcome: "error", message: (error as Error).message };
      }
      if (reply.outcome === "taken") return { outcome: "taken" };
      if (reply.outcome === "busy") return reply;
      return { outcome: "won", lock: holdLock(redis, lockKey, token, reply.fence, ttl) };
    },
  };
}

/**
 * Renews a won lock every third of its TTL. A renewal answered 0 means the
 * lock is gone (expired, then maybe taken by a newer run): lost. A renewal
 * that fails (Redis away) is retried at the next turn; once a whole TTL went
 * by without one succeeding, the lock has expired on Redis's side: lost.
 */
function holdLock(redis: ScriptRunner, key: string, token: string, fence: number, ttl: number): HeldLock {
  const listeners: Array<(reason: string) => void> = [];
  let renewed = performance.now();
  let done = false;
  const lose = (reason: string) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    for (const listener of listeners) listener(reason);
  };
  const renew = async () => {
    try {
      const kept = await withinMs(redis.eval(RENEW_SCRIPT, 1, key, token, ttl), ttl);
      if (done) return;
      if (Number(kept) === 1) renewed = performance.now();
      else lose("the lock expired and is no longer this run's");
    } catch (error) {
      if (performance.now() - renewed >= ttl) lose(`Redis did not renew it for ${ttl} ms (${(error as Error).message})`);
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(ttl / 3)));
  // The supervisor stays up for its own reasons; a renewal must not hold it.
  (timer as { unref?: () => void }).unref?.();
  return {
    fence,
    onLost: (listener) => void listeners.push(listener),
    release() {
      if (done) return;
      done = true;
      clearInterval(timer);
      // A failed release is harmless: the lock expires at its TTL.
      redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => {});
    },
  };
}

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    promise.then((value) => (clearTimeout(timer), resolve(value)), (error) => (clearTimeout(timer), reject(error)));
  });
}
