// The cluster suite of `npm run bench` (--only cluster), on one redis-server
// of its own: cross-node publish, two lsky nodes per target beside two
// Socket.IO servers with the Redis adapter; then durable tasks, BullMQ alone
// beside lsky's durable queue (where this build has one). Sides interleaved
// in every round, each round starting one later; medians over rounds.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll } from "../../../test/harness/lsky.ts";
import { type RedisServer, startRedis } from "../../../test/harness/redis.ts";
import { type Target, TARGETS } from "../../../test/harness/targets.ts";
import type { Engine } from "../paths.ts";
import { log } from "../rounds.ts";
import { runBullmq } from "./bullmq-side.ts";
import { type DurableResult, runLskyDurable } from "./lsky-durable.ts";
import { lskyNodes, socketIoNodes } from "./nodes.ts";
import { measurePublish, type PublishRun, type PublishSizes } from "./publish.ts";
import type { TasksRun, TasksSizes } from "./tasks-run.ts";

export interface ClusterSettings {
  rounds: number;
  engines: Engine[];
  quick: boolean;
}

/** Per side (an id), one entry per round; undefined where the round failed. */
export interface ClusterResult {
  settings: ClusterSettings;
  publishSizes: PublishSizes;
  taskSizes: TasksSizes;
  publish: Map<string, (PublishRun | undefined)[]>;
  tasks: Map<string, (TasksRun | undefined)[]>;
  /** Why lsky's durable side did not run, if it did not. */
  durableUnavailable?: string;
  failures: string[];
}

export const SOCKET_IO = "Socket.IO 4.8 + redis-adapter (node)";
export const BULLMQ = "BullMQ 6.7 (node, 2 workers of concurrency 1)";
export const LSKY_DURABLE = "lsky durable (node, --task-workers 2)";
export const lskyId = (target: Target) => `lsky ${target.name}`;

const sizesFor = (quick: boolean) => ({
  publish: quick ? { count: 100, burst: 1_000 } : { count: 300, burst: 10_000 },
  tasks: quick ? { bulk: 500, single: 200 } : { bulk: 2_000, single: 500 },
});

/** lsky on the chosen engines, and the binary when it is built and bun is chosen. */
function publishTargets(engines: Engine[]): Target[] {
  return TARGETS.filter((t) => t.name === "binary" ? engines.includes("bun") && existsSync(t.command) : engines.includes(t.name));
}

function rotate<T>(items: T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

async function attempt<T>(result: ClusterResult, id: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    result.failures.push(`${id}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  } finally {
    killAll();
  }
}

type Turn = { id: string; run: () => Promise<void> };

function publishTurns(result: ClusterResult, redis: RedisServer, scratch: string): Turn[] {
  const measure = (id: string, start: () => ReturnType<typeof socketIoNodes>) => async () => {
    const run = await attempt(result, id, async () => {
      const nodes = await start();
      try {
        return await measurePublish(nodes, redis.pid, result.publishSizes);
      } finally {
        await nodes.stop();
      }
    });
    result.publish.get(id)!.push(run);
    log(`cluster publish ${id}: ${JSON.stringify(run)}`);
  };
  const sides: Turn[] = publishTargets(result.settings.engines).map((t) => ({ id: lskyId(t), run: measure(lskyId(t), () => lskyNodes(t, redis, scratch)) }));
  sides.push({ id: SOCKET_IO, run: measure(SOCKET_IO, () => socketIoNodes(redis)) });
  return sides;
}

function taskTurns(result: ClusterResult, redis: RedisServer, scratch: string): Turn[] {
  const node = TARGETS.find((t) => t.name === "node")!;
  const record = (id: string, run: TasksRun | undefined) => {
    result.tasks.get(id)!.push(run);
    log(`cluster tasks ${id}: ${JSON.stringify(run)}`);
  };
  return [
    { id: BULLMQ, run: async () => record(BULLMQ, await attempt(result, BULLMQ, () => runBullmq(redis, result.taskSizes))) },
    { id: LSKY_DURABLE, run: async () => {
      if (result.durableUnavailable !== undefined) return;
      const run: DurableResult | undefined = await attempt(result, LSKY_DURABLE, () => runLskyDurable(node, redis, result.taskSizes, scratch));
      if (run && "unavailable" in run) return void (result.durableUnavailable = run.unavailable);
      record(LSKY_DURABLE, run);
    } },
  ];
}

export async function runClusterSuite(settings: ClusterSettings): Promise<ClusterResult> {
  const sizes = sizesFor(settings.quick);
  const result: ClusterResult = { settings, publishSizes: sizes.publish, taskSizes: sizes.tasks, publish: new Map(), tasks: new Map(), failures: [] };
  const scratch = mkdtempSync(join(tmpdir(), "lsky-bench-cluster-"));
  const redis = await startRedis();
  try {
    const publish = publishTurns(result, redis, scratch);
    const tasks = taskTurns(result, redis, scratch);
    for (const turn of publish) result.publish.set(turn.id, []);
    for (const turn of tasks) result.tasks.set(turn.id, []);
    for (let round = 0; round < settings.rounds; round++) {
      for (const turn of [...rotate(publish, round), ...rotate(tasks, round)]) {
        await redis.command("FLUSHALL");
        await turn.run();
      }
    }
    return result;
  } finally {
    await redis.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
