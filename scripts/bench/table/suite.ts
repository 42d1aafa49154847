// The "table" suite: get, set and incr per second on lsky's shared table from
// the two workers of one server, beside redis-server on loopback driven from
// the same two workers by ioredis, with the same loop (c calls in flight per
// worker, each awaited before the next). Targets are interleaved within each
// round (table, redis, redis with auto-pipelining, ...), and each cell is the
// median over rounds; CPU time per operation counts every process involved
// (lsky's supervisor and workers, and redis-server for the Redis rows).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lskyCandidate } from "../candidates.ts";
import { cpuMsBetween, snapshotCpu } from "../cpu.ts";
import { type Engine, ROOT } from "../paths.ts";
import { freePort, type Started, startProcess, stopProcess } from "../processes.ts";
import { waitUntil } from "../probe.ts";
import { contextBlock, failureLines, int, ratio, type RunContext, table } from "../report.ts";
import { type Figures, type RoundsResult, runRounds, series } from "../rounds.ts";
import { defined, median } from "../stats.ts";
import { checkAlive, type Served, serve } from "../suite.ts";

const DIR = join(ROOT, "scripts", "bench", "table");
export const TARGETS = ["table", "redis", "redis-auto"] as const;
export const OPS = ["get", "set", "incr"] as const;
export const CONCURRENCIES = [1, 16, 128] as const;
const TARGET_LABEL: Record<string, string> = {
  table: "lsky table",
  redis: "Redis (ioredis)",
  "redis-auto": "Redis (ioredis, enableAutoPipelining)",
};

export interface TableSettings {
  rounds: number;
  engines: Engine[];
  /** Operations per worker for each measurement (a tenth with one in flight). */
  opsPerWorker: number;
}

export interface TableResult extends RoundsResult {
  settings: TableSettings;
}

interface Redis {
  proc: Started;
  port: number;
  dir: string;
}

async function startRedis(): Promise<Redis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "lsky-bench-redis-"));
  const proc = startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { cwd: dir });
  await waitUntil("redis-server answering", async () => {
    if (proc.done()) throw new Error(`redis-server exited:\n${proc.output()}`);
    return /Ready to accept connections/.test(proc.output()) || undefined;
  }, 10_000, 50);
  return { proc, port, dir };
}

async function run(served: Served, redis: Redis, target: string, op: string, c: number, n: number): Promise<{ perSecond: number; ops: number }> {
  const response = await fetch(served.url(`/run?target=${target}&op=${op}&c=${c}&n=${n}&redisPort=${redis.port}`));
  const body = await response.json() as { perSecond: number; ops: number; error?: string };
  if (response.status !== 200) throw new Error(`${target} ${op} failed: ${body.error}`);
  return body;
}

/** One turn: every op at every concurrency on one target; rate and CPU µs per op. */
async function measure(served: Served, redis: Redis, target: string, n: number): Promise<Figures> {
  const figures: Figures = {};
  const pgids = target === "table" ? [served.running.pgids()] : [served.running.pgids(), [redis.proc.pid]];
  for (const c of CONCURRENCIES) {
    for (const op of OPS) {
      const before = snapshotCpu(pgids.flat());
      // One call in flight is slow on every target: a tenth of the calls keeps the run short.
      const result = await run(served, redis, target, op, c, c === 1 ? Math.ceil(n / 10) : n);
      const cpuMs = cpuMsBetween(before, snapshotCpu(pgids.flat()));
      figures[`${op}.${c}.rate`] = result.perSecond;
      figures[`${op}.${c}.cpuUs`] = (cpuMs * 1000) / result.ops;
    }
  }
  checkAlive(served);
  return figures;
}

export const turnId = (engine: Engine, target: string) => `${engine}-${target}`;

export async function runTableSuite(settings: TableSettings): Promise<TableResult> {
  const redis = await startRedis();
  const servers = new Map<Engine, Served>();
  try {
    for (const engine of settings.engines) {
      const served = await serve(lskyCandidate(engine, 2, { id: "tables", flags: ["--config", join(DIR, "lsky.config.ts")] }, join(DIR, "app.ts")));
      servers.set(engine, served);
      // Warm-up, which also fills the keys the gets read.
      for (const target of TARGETS) for (const op of ["set", "get", "incr"]) await run(served, redis, target, op, 16, 2000);
    }
    const turns = [...servers].flatMap(([engine, served]) =>
      TARGETS.map((target) => ({ id: turnId(engine, target), measure: () => measure(served, redis, target, settings.opsPerWorker) })));
    return { settings, ...(await runRounds("table", turns, { rounds: settings.rounds, rotate: false })) };
  } finally {
    for (const served of servers.values()) await served.running.stop();
    await stopProcess(redis.proc);
    rmSync(redis.dir, { recursive: true, force: true });
  }
}

function cell(result: TableResult, engine: Engine, target: string, figure: string): number {
  return median(defined(series(result, turnId(engine, target), figure)));
}

export function tableSection(context: RunContext, result: TableResult): string {
  const { engines, rounds, opsPerWorker } = result.settings;
  const sections = engines.map((engine) => {
    const rows = CONCURRENCIES.flatMap((c) => OPS.map((op) => {
      const rates = TARGETS.map((t) => cell(result, engine, t, `${op}.${c}.rate`));
      const cpus = TARGETS.map((t) => cell(result, engine, t, `${op}.${c}.cpuUs`));
      return [op, String(c), ...rates.map((r) => `${int(r)}/s`), ratio(rates[0]! / rates[1]!), ratio(rates[0]! / rates[2]!), ...cpus.map((u) => `${u.toFixed(1)} µs`)];
    }));
    const head = ["op", "in flight per worker", ...TARGETS.map((t) => TARGET_LABEL[t]!), "table / Redis", "table / Redis auto", ...TARGETS.map((t) => `CPU per op, ${t}`)];
    return [`#### Supervisor and workers on ${engine}`, "", table(head, rows)].join("\n");
  });
  return [
    "### Shared table beside Redis",
    "",
    contextBlock(context),
    "- Server: `lsky serve scripts/bench/table/app.ts --config scripts/bench/table/lsky.config.ts --workers 2` per engine; `redis-server` (Debian) on a loopback port, no persistence",
    `- Each measurement: both workers at once, each running ${int(opsPerWorker)} operations (a tenth with 1 in flight) over 1,000 keys with the given number in flight; get = table.get / HGETALL, set = table.set / HSET, incr = table.incr / HINCRBY`,
    `- Targets interleaved within each round, ${rounds} round(s); each cell is the median over rounds. CPU per op: all CPU time of lsky's processes (and redis-server's, for Redis) divided by the operations`,
    "",
    ...sections.flatMap((s) => [s, ""]),
    ...failureLines(result.failures),
  ].join("\n").trimEnd();
}
