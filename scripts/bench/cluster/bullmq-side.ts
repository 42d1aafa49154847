// BullMQ alone on a real redis-server: a Queue in this process and two
// Worker processes of concurrency 1 (as two lsky task workers, each running
// one task at a time), an empty handler, completed jobs removed.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { Queue } from "bullmq";
import type { RedisServer } from "../../../test/harness/redis.ts";
import { waitFor } from "../../../test/harness/wait.ts";
import { cpuMsBetween, snapshotCpu } from "../cpu.ts";
import { pidCpuMs } from "./pid-cpu.ts";
import { jobsRun, type JobsRun, type TasksRun, type TasksSizes, wallMs } from "./tasks-run.ts";

const WORKER = join(import.meta.dirname, "bullmq-worker.mjs");
const QUEUE = "bench";
const WORKERS = 2;

/** Latencies the Worker processes reported, in arrival order. */
interface Workers {
  children: ChildProcess[];
  latencies: number[];
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function startWorkers(redisUrl: string): Promise<Workers> {
  const latencies: number[] = [];
  let ready = 0;
  const children = Array.from({ length: WORKERS }, () => {
    const child = spawn(process.execPath, [WORKER, redisUrl, QUEUE, "1"], { stdio: ["ignore", "ignore", "inherit", "ipc"], detached: true });
    child.on("message", (m: { ready?: boolean; latencies?: number[] }) => {
      if (m.ready) ready++;
      if (m.latencies) latencies.push(...m.latencies);
    });
    return child;
  });
  const killAll = () => children.forEach(killGroup);
  process.once("exit", killAll);
  const stop = async () => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once("exit", () => resolve());
      c.send("stop");
      setTimeout(() => killGroup(c), 5_000).unref();
    })));
    process.off("exit", killAll);
  };
  try {
    await waitFor("the BullMQ workers ready", () => ready === WORKERS || undefined, 30_000);
  } catch (error) {
    killAll();
    throw error;
  }
  return { children, latencies, stop };
}

async function measured(workers: Workers, redisPid: number, n: number, add: () => Promise<unknown>): Promise<JobsRun> {
  workers.latencies.length = 0;
  const groups = workers.children.map((c) => c.pid!);
  const [cpuBefore, ownBefore, redisBefore] = [snapshotCpu(groups), process.cpuUsage(), pidCpuMs(redisPid)];
  const begun = wallMs();
  await add();
  await waitFor(`${n} BullMQ jobs completed`, () => workers.latencies.length >= n || undefined, 120_000);
  const seconds = (wallMs() - begun) / 1000;
  const own = process.cpuUsage(ownBefore);
  const redisMs = pidCpuMs(redisPid) - redisBefore;
  const cpuMs = cpuMsBetween(cpuBefore, snapshotCpu(groups)) + (own.user + own.system) / 1000 + redisMs;
  return jobsRun(workers.latencies, seconds, cpuMs, redisMs);
}

const bulkOf = (n: number) => Array.from({ length: n }, () => ({ name: "noop", data: { at: wallMs() } }));

export async function runBullmq(redis: RedisServer, sizes: TasksSizes): Promise<TasksRun> {
  const connection = { host: "127.0.0.1", port: redis.port, maxRetriesPerRequest: null };
  const queue = new Queue(QUEUE, { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 } });
  const workers = await startWorkers(redis.url);
  try {
    // Warm-up: one unmeasured bulk run of the same size. 200 jobs left a fresh
    // server colder than the producer the bench process keeps: 0.82 of BullMQ then, 1.00 warm.
    await measured(workers, redis.pid, sizes.bulk, () => queue.addBulk(bulkOf(sizes.bulk)));
    const bulk = await measured(workers, redis.pid, sizes.bulk, () => queue.addBulk(bulkOf(sizes.bulk)));
    const single = await measured(workers, redis.pid, sizes.single, async () => {
      for (let i = 0; i < sizes.single; i++) await queue.add("noop", { at: wallMs() });
    });
    return { bulk, single };
  } finally {
    await queue.close();
    await workers.stop();
  }
}
