// `npm run bench`: lsky beside the raw engines and their own multi-worker
// modes, interleaved in one run and measured with wrk; what each promise
// costs in paired runs; static files beside nginx; the message bus. Prints
// medians and ratios and writes them to the docs. See `npm run bench -- --help`.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { busSection, runBusSuite } from "./bus-suite.ts";
import { type Candidate, parallelCandidates, singleCandidates } from "./candidates.ts";
import { costPairs } from "./cost-pairs.ts";
import { optionPairs } from "./option-pairs.ts";
import { machineInfo } from "./machine.ts";
import { type BenchOptions, parseBenchOptions, type SuiteName, USAGE } from "./options.ts";
import { type Pair, type PairSettings, runPairs } from "./pairs.ts";
import { DOCS, ROOT } from "./paths.ts";
import { pm2 } from "./pm2.ts";
import { poolPairs } from "./pool-pairs.ts";
import { contextBlock, costsSection, poolSection, type RunContext, suiteSection, writeDocSection } from "./report.ts";
import { log } from "./rounds.ts";
import { runStaticSuite, staticSection } from "./static-suite.ts";
import { runSuite, type SuiteSettings } from "./suite.ts";
import { runWebSocketSuite } from "./ws/suite.ts";
import { runTasksSuite, tasksSection } from "./tasks/suite.ts";
import { runTableSuite, tableSection } from "./table/suite.ts";
import { clusterSection } from "./cluster/section.ts";
import { runClusterSuite } from "./cluster/suite.ts";
import { memorySection } from "./memory-report.ts";
import { runMemorySuite } from "./memory-suite.ts";
import { scalingSection } from "./scaling-report.ts";
import { runScalingSuite } from "./scaling-suite.ts";

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).error === undefined;
}

/** wrk and nginx come from Debian; the project's install script puts them there (it needs root). */
function ensureTool(command: string, args: string[]): boolean {
  if (hasCommand(command, args)) return true;
  log(`${command} is missing: running scripts/install-system-deps.sh`);
  spawnSync("bash", [join(ROOT, "scripts", "install-system-deps.sh")], { stdio: "inherit" });
  return hasCommand(command, args);
}

function build(): void {
  log("building dist/lsky.mjs (node build/build.mjs --no-binary)");
  const result = spawnSync(process.execPath, [join(ROOT, "build", "build.mjs"), "--no-binary"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("node build/build.mjs failed");
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function suiteSettings(options: BenchOptions, pinned: boolean): SuiteSettings {
  return {
    rounds: options.rounds,
    warmup: options.warmup,
    load: { threads: options.threads, connections: options.connections, duration: options.duration, cpus: pinned ? "1" : undefined },
    serverCpus: pinned ? "0" : undefined,
  };
}

const onEngine = (options: BenchOptions, engine: string) => (options.engines as string[]).includes(engine);

function chosen(candidates: Candidate[], options: BenchOptions): Candidate[] {
  const filter = options.candidates;
  const onEngines = candidates.filter((c) => onEngine(options, c.engine));
  return filter ? onEngines.filter((c) => filter.some((f) => c.id.includes(f))) : onEngines;
}

function chosenPairs(pairs: Pair[], options: BenchOptions): Pair[] {
  const filter = options.candidates;
  const onEngines = pairs.filter((p) => onEngine(options, p.engine));
  return filter ? onEngines.filter((p) => filter.some((f) => p.measured.id.includes(f))) : onEngines;
}

function notesFor(options: BenchOptions): string[] {
  const notes: string[] = [];
  if (options.quick) notes.push(`Quick run (--quick): ${options.rounds} round of ${options.duration} s per run, a smoke test of the harness, not a measurement.`);
  if (options.note) notes.push(options.note);
  return notes;
}

/** Where each suite's section goes. */
const PAGES: Record<SuiteName, string> = {
  single: DOCS,
  parallel: DOCS,
  pool: DOCS,
  costs: DOCS,
  options: DOCS,
  static: join(ROOT, "docs", "BENCHMARKS-STATIC.md"),
  bus: join(ROOT, "docs", "BENCHMARKS-BUS.md"),
  ws: DOCS,
  tasks: DOCS,
  table: DOCS,
  cluster: DOCS,
  memory: DOCS,
  scaling: DOCS,
};

// The pool suite's ratios settle with more rounds than the others need (each
// pair turn is short); twice the rounds kept two runs within a few per cent.
const POOL_ROUNDS_FACTOR = 2;
const SCALING_WARMUP_MAX = 3;

type SuiteRun = (options: BenchOptions, context: RunContext, pinSingle: boolean) => Promise<string | undefined>;

const RUNS: Record<SuiteName, SuiteRun> = {
  single: async (options, context, pinSingle) => {
    const settings = suiteSettings(options, pinSingle);
    const result = await runSuite("single", chosen(singleCandidates(), options), settings);
    return suiteSection("One worker beside the raw engine server", context, settings, result);
  },
  parallel: async (options, context) => {
    const settings = suiteSettings(options, false);
    try {
      const result = await runSuite("parallel", chosen(parallelCandidates(), options), settings);
      return suiteSection("Two workers beside each engine's own multi-process mode", context, settings, result);
    } finally {
      pm2.kill();
    }
  },
  pool: async (options, context, pinSingle) => {
    // Both pools share one core while their loads run on the other, as in the
    // costs suite: unpinned, the two pools and two wrk fight over both cores
    // and a ratio swung from 0.54 to 1.05 within one run.
    if (!pinSingle) return void log("pool: skipped, it needs two CPUs, taskset and pinning (no --no-pin)");
    const load = suiteSettings(options, true).load;
    const settings: PairSettings = { rounds: options.rounds * POOL_ROUNDS_FACTOR, warmup: options.warmup, load, serverCpus: "0" };
    try {
      return poolSection(context, settings, await runPairs(chosenPairs(poolPairs(), options), settings, "pool"));
    } finally {
      pm2.kill();
    }
  },
  costs: async (options, context, pinSingle) => {
    // A pair shares one core while its loads run on the other.
    if (!pinSingle) return void log("costs: skipped, it needs two CPUs, taskset and pinning (no --no-pin)");
    const settings: PairSettings = { rounds: options.rounds, warmup: options.warmup, load: suiteSettings(options, true).load, serverCpus: "0" };
    return costsSection(context, settings, await runPairs(chosenPairs(costPairs(), options), settings));
  },
  options: async (options, context, pinSingle) => {
    if (!pinSingle) return void log("options: skipped, it needs two CPUs, taskset and pinning (no --no-pin)");
    const settings: PairSettings = { rounds: options.rounds, warmup: options.warmup, load: suiteSettings(options, true).load, serverCpus: "0" };
    const results = await runPairs(chosenPairs(optionPairs(), options), settings, "options");
    return costsSection(context, settings, results, "What the options a production user turns on cost (paired runs)");
  },
  static: async (options, context) => {
    if (!ensureTool("nginx", ["-v"])) return void log("static: skipped, nginx is not installed and could not be");
    const { rounds, warmup, engines } = options;
    const result = await runStaticSuite({ rounds, warmup, engines, load: suiteSettings(options, false).load });
    return staticSection(context, result);
  },
  bus: async (options, context) => {
    const result = await runBusSuite({ rounds: options.rounds, engines: options.engines, scaleDown: options.quick ? 10 : 1 });
    return busSection(context, result);
  },
  ws: async (options, context) => {
    const seconds = options.quick ? 1 : options.duration;
    const tables = await runWebSocketSuite({ rounds: options.rounds, seconds, engines: options.engines, subscribers: options.quick ? 100 : 1000 });
    return ["### WebSocket beside the raw engines", "", contextBlock(context), "", tables].join("\n");
  },
  tasks: async (options, context) => {
    const result = await runTasksSuite({ rounds: options.rounds, engines: options.engines, scaleDown: options.quick ? 10 : 1 });
    return tasksSection(context, result);
  },
  table: async (options, context) => {
    if (!hasCommand("redis-server", ["--version"])) return void log("table: skipped, redis-server is not installed (Debian package redis-server)");
    const result = await runTableSuite({ rounds: options.rounds, engines: options.engines, opsPerWorker: options.quick ? 5_000 : 50_000 });
    return tableSection(context, result);
  },
  cluster: async (options, context) => {
    if (!hasCommand("redis-server", ["--version"])) return void log("cluster: skipped, redis-server is not installed (Debian package redis-server)");
    return clusterSection(context, await runClusterSuite({ rounds: options.rounds, engines: options.engines, quick: options.quick }));
  },
  memory: async (options, context) => {
    // 100,000: V8 doubles a Node worker's young generation (4 to 8 MB) after
    // 5,000 to 20,000 requests and the raw server's after 20,000 to 60,000, so
    // a shorter warm-up compares one before the step with one after it.
    const warmRequests = options.quick ? 500 : 100_000;
    return memorySection(context, await runMemorySuite({ rounds: options.rounds, engines: options.engines, warmRequests }));
  },
  scaling: async (options, context) => {
    // Both workers need both cores, so nothing is pinned; wrk shares them.
    // The CPU-bound route's JIT is warm after a few seconds.
    const settings = { rounds: options.rounds, engines: options.engines, warmup: Math.min(options.warmup, SCALING_WARMUP_MAX), load: suiteSettings(options, false).load };
    return scalingSection(context, await runScalingSuite(settings));
  },
};

async function main(args: string[]): Promise<void> {
  const options = parseBenchOptions(args);
  if (options.help) return void process.stdout.write(USAGE);
  if (!ensureTool("wrk", ["-v"])) throw new Error("wrk is not installed and scripts/install-system-deps.sh could not install it (it needs root)");
  if (options.build) build();
  // With two or more CPUs a one-worker server gets CPU 0 and wrk CPU 1, so
  // the two do not take turns on the same core.
  const pinSingle = options.pin && availableParallelism() >= 2 && hasCommand("taskset", ["-V"]);
  const context: RunContext = {
    command: `npm run bench${args.length ? ` -- ${args.map(shellQuote).join(" ")}` : ""}`,
    machine: machineInfo(),
    notes: notesFor(options),
  };
  log(`machine: ${context.machine.cpus} CPUs, ${context.machine.cpuModel}, load average ${context.machine.loadAverage}`);
  for (const suite of options.suites) {
    const body = await RUNS[suite](options, context, pinSingle);
    if (body === undefined) continue;
    process.stdout.write(`\n${body}\n`);
    if (options.docs) writeDocSection(PAGES[suite], suite, body);
  }
}

// Ctrl-C: exit through process.on("exit"), which kills what the run started.
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n`);
    if (error instanceof RangeError || error.name === "TypeError") process.stderr.write(USAGE);
    process.exit(error instanceof RangeError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1);
  },
);
