/**
 * The Redis keys of one scheduled job's cluster lock (docs/SCHEDULE.md, "On
 * a cluster"). Every key starts with the cluster's prefix (--cluster-prefix),
 * so two clusters can share one Redis; the job's name sits in a hash tag
 * (`{name}`), so the three keys a lock script touches fall in one slot should
 * the Redis be a Redis Cluster.
 */
export interface ScheduleKeys {
  /** The latest tick any node claimed: no tick at or before it is run again. */
  mark: string;
  /** Counts the claims (INCR): each won claim's number is its fencing token. */
  fence: string;
  /** The run lock of a job without overlap (one run at a time in the cluster). */
  lock: string;
}

export function scheduleKeys(prefix: string, job: string): ScheduleKeys {
  const base = `${prefix}:schedule:{${job}}`;
  return { mark: `${base}:tick`, fence: `${base}:fence`, lock: `${base}:lock` };
}

/**
 * The key a run of `tick` locks: the job's one lock without overlap, so the
 * run of the next tick waits for it anywhere in the cluster; a key of its own
 * per tick with `overlap: true`, so runs of successive ticks may overlap.
 */
export function runLockKey(keys: ScheduleKeys, tick: number, overlap: boolean): string {
  return overlap ? `${keys.lock}:${tick}` : keys.lock;
}

/**
 * The random owner token a run's lock holds: only the run holding this exact
 * value may extend or release the lock. It names the node and the tick for
 * whoever reads the key with redis-cli.
 */
export function ownerToken(node: string, tick: number, random: string = crypto.randomUUID()): string {
  return `${node}/${tick}/${random}`;
}
