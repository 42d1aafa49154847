// lsky's durable tasks on the same redis-server as BullMQ: one node in
// cluster mode, one HTTP worker (the producer) and two task workers, the
// durable-app.ts fixture. Runs only where tasks.dispatch(..., { durable:
// true }) is supported; otherwise it says why not.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { startLsky } from "../../../test/harness/lsky.ts";
import type { RedisServer } from "../../../test/harness/redis.ts";
import type { Target } from "../../../test/harness/targets.ts";
import { cpuMsBetween, snapshotCpu } from "../cpu.ts";
import { pidCpuMs } from "./pid-cpu.ts";
import { jobsRun, type JobsRun, type TasksRun, type TasksSizes } from "./tasks-run.ts";

const APP = join(import.meta.dirname, "durable-app.ts");

export type DurableResult = TasksRun | { unavailable: string };

/** Calls of Lua scripts Redis has run so far (the durable queue's operations are scripts). */
async function scriptCalls(redis: RedisServer): Promise<number> {
  const stats = await redis.command("INFO commandstats");
  return [...stats.matchAll(/cmdstat_(?:eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro):calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Why durable tasks cannot be measured on this build, or undefined when they can. */
async function whyUnavailable(base: string, redis: RedisServer): Promise<string | undefined> {
  const before = await scriptCalls(redis);
  const probe = await (await fetch(`${base}/probe`)).json() as { available: boolean; code?: string };
  if (!probe.available) return `tasks.dispatch(..., { durable: true }) rejects with ${probe.code}`;
  if (await scriptCalls(redis) === before) return "tasks.dispatch accepts { durable: true } but ran no script on Redis: the queue stayed in memory";
  return undefined;
}

async function measured(base: string, path: string, n: number, groups: number[], redisPid: number): Promise<JobsRun> {
  const [cpuBefore, redisBefore] = [snapshotCpu(groups), pidCpuMs(redisPid)];
  const response = await fetch(`${base}/${path}?n=${n}`);
  if (!response.ok) throw new Error(`GET /${path}: ${response.status} ${await response.text()}`);
  const { seconds, latencies } = await response.json() as { seconds: number; latencies: number[] };
  const redisMs = pidCpuMs(redisPid) - redisBefore;
  return jobsRun(latencies, seconds, cpuMsBetween(cpuBefore, snapshotCpu(groups)) + redisMs, redisMs);
}

/** lsky's side of "durable tasks beside BullMQ": to run once durable dispatch is in. */
export async function runLskyDurable(target: Target, redis: RedisServer, sizes: TasksSizes, scratch: string): Promise<DurableResult> {
  const server = await startLsky(target, [APP, "--workers", "1", "--task-workers", "2", "--host", "127.0.0.1",
    "--cluster-redis", redis.url, "--cluster-node", "durable"], { cwd: mkdtempSync(join(scratch, "durable-")) });
  try {
    const why = await whyUnavailable(server.url, redis);
    if (why !== undefined) return { unavailable: why };
    // Warm-up: one unmeasured bulk run of the same size. 200 jobs left a fresh
    // server colder than the producer the bench process keeps: 0.82 of BullMQ then, 1.00 warm.
    await measured(server.url, "bulk", sizes.bulk, [server.pid], redis.pid);
    const bulk = await measured(server.url, "bulk", sizes.bulk, [server.pid], redis.pid);
    const single = await measured(server.url, "single", sizes.single, [server.pid], redis.pid);
    return { bulk, single };
  } finally {
    await server.stop();
  }
}
