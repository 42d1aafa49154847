import { parseArgs } from "node:util";
import type { Engine } from "./paths.ts";

export type SuiteName = "single" | "parallel" | "pool" | "costs" | "options" | "static" | "bus" | "ws" | "tasks" | "table" | "cluster" | "memory" | "scaling";
export const SUITES: SuiteName[] = ["single", "parallel", "pool", "costs", "options", "static", "bus", "ws", "tasks", "table", "cluster", "memory", "scaling"];
export const ENGINES: Engine[] = ["bun", "deno", "node"];

export interface BenchOptions {
  suites: SuiteName[];
  quick: boolean;
  rounds: number;
  /** Seconds per measured wrk run. */
  duration: number;
  warmup: number;
  threads: number;
  connections: number;
  /** lsky's engines (and the peers on them); the static suite's first also runs its compression cases. */
  engines: Engine[];
  pin: boolean;
  build: boolean;
  docs: boolean;
  note?: string;
  /** Only the candidates whose id contains one of these (e.g. "node" or "lsky-bun-1,bun-serve"). */
  candidates?: string[];
  help: boolean;
}

// Full run: 2 suites x 3 rounds x 9 candidates x ~17 s, 3 rounds x 14 pairs
// x ~14 s of paired costs, 3 rounds x 15 static cases x 4 s and 3 rounds of
// the bus: within 30 minutes on two cores.
// Warm-up: 8 s, so that lsky's Node worker (more code for the JIT than a bare
// server) is measured at its steady cost: in two runs of the Node candidates
// alone its hello ratio read 0.90 after 3 s of warm-up and 0.99 after 8 s.
const FULL = { rounds: 3, duration: 4, warmup: 8 };
const QUICK = { rounds: 1, duration: 2, warmup: 1 };

export const USAGE = `Usage: npm run bench -- [options]

Interleaves lsky and its peers (A B C A B C ...) in one run, measures them
(wrk for HTTP, the app itself for the bus), prints medians and ratios and
writes them to docs/BENCHMARKS.md (single, parallel, pool, costs, options,
ws, tasks, table, cluster, memory, scaling), docs/BENCHMARKS-STATIC.md (static) and
docs/BENCHMARKS-BUS.md (bus); table and cluster run beside redis-server.
memory: RSS and PSS of idle servers (supervisor and each worker, beside the
raw engine, node:cluster and PM2); scaling: 1 and 2 workers on a CPU-bound
route, req/s and CPU time per request.

  --quick              ${QUICK.rounds} round of ${QUICK.duration} s per run, a tenth of the bus messages (a smoke test)
  --only LIST          ${SUITES.join(", ")} (comma separated; default all)
  --rounds N           rounds per suite (default ${FULL.rounds})
  --duration S         seconds per measured run (default ${FULL.duration})
  --warmup S           seconds of unmeasured load before a candidate's runs (default ${FULL.warmup})
  --threads N          wrk threads (default 1)
  --connections N      wrk connections (default 50)
  --engines LIST       ${ENGINES.join(", ")} (comma separated; default all): lsky's engines and the peers on them
  --no-pin             do not pin one-worker servers and wrk to separate CPUs
  --no-build           use dist/lsky.mjs as it is (default: node build/build.mjs --no-binary first)
  --no-docs            print only; leave the docs alone
  --note TEXT          a line written above the figures (e.g. what else ran on the machine)
  --candidates LIST    only candidates whose id contains one of these (e.g. node, or lsky-bun-1,bun-serve);
                       for costs and options, the pairs whose measured side's id contains one
`;

function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > 100_000) {
    throw new RangeError(`Invalid value "${text}" for --${name}: expected a whole number from ${min}`);
  }
  return value;
}

/** The names of a comma-separated list, each checked against the allowed ones, in the allowed order unless `keepOrder`. */
function nameList<T extends string>(flag: string, text: string | undefined, allowed: T[], keepOrder = false): T[] {
  if (text === undefined) return allowed;
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!allowed.includes(name as T)) throw new RangeError(`Unknown value "${name}" for --${flag}: expected ${allowed.join(", ")}`);
  }
  return keepOrder ? [...new Set(names as T[])] : allowed.filter((s) => names.includes(s));
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { values: v } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: "boolean" }, only: { type: "string" }, rounds: { type: "string" }, duration: { type: "string" },
      warmup: { type: "string" }, threads: { type: "string" }, connections: { type: "string" }, engines: { type: "string" },
      "no-pin": { type: "boolean" }, "no-build": { type: "boolean" }, "no-docs": { type: "boolean" },
      note: { type: "string" }, candidates: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  const base = v.quick ? QUICK : FULL;
  const threads = positiveInt("threads", v.threads, 1);
  return {
    suites: nameList("only", v.only, SUITES),
    quick: v.quick === true,
    rounds: positiveInt("rounds", v.rounds, base.rounds),
    duration: positiveInt("duration", v.duration, base.duration),
    warmup: positiveInt("warmup", v.warmup, base.warmup, 0),
    threads,
    connections: positiveInt("connections", v.connections, 50, threads),
    engines: nameList("engines", v.engines, ENGINES, true),
    pin: v["no-pin"] !== true,
    build: v["no-build"] !== true,
    docs: v["no-docs"] !== true,
    note: v.note,
    candidates: v.candidates?.split(",").map((s) => s.trim()).filter(Boolean),
    help: v.help === true,
  };
}
