// `npm run bench`: lsky beside the raw engines and their own multi-worker
// modes, interleaved in one run, measured with wrk; then the time from
// kill -9 of a worker to its replacement serving. Prints medians and ratios
// and writes them to docs/BENCHMARKS.md. See `npm run bench -- --help`.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type Candidate, parallelCandidates, singleCandidates } from "./candidates.ts";
import { costPairs } from "./cost-pairs.ts";
import { machineInfo } from "./machine.ts";
import { type BenchOptions, parseBenchOptions, USAGE } from "./options.ts";
import { ROOT } from "./paths.ts";
import { type Pair, type PairSettings, runPairs } from "./pairs.ts";
import { pm2 } from "./pm2.ts";
import { measureReplacement, type ReplaceResult } from "./replace.ts";
import { costsSection, type RunContext, replaceSection, suiteSection, writeDocSection } from "./report.ts";
import { log, runSuite, type SuiteSettings } from "./suite.ts";

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).error === undefined;
}

/** wrk comes from Debian; the project's install script puts it there. */
function ensureWrk(): void {
  if (hasCommand("wrk", ["-v"])) return;
  log("wrk is missing: running scripts/install-system-deps.sh");
  const result = spawnSync("bash", [join(ROOT, "scripts", "install-system-deps.sh")], { stdio: "inherit" });
  if (result.status !== 0 || !hasCommand("wrk", ["-v"])) {
    throw new Error("wrk is not installed and scripts/install-system-deps.sh could not install it (it needs root)");
  }
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

function chosen(candidates: Candidate[], options: BenchOptions): Candidate[] {
  const filter = options.candidates;
  return filter ? candidates.filter((c) => filter.some((f) => c.id.includes(f))) : candidates;
}

function chosenPairs(pairs: Pair[], options: BenchOptions): Pair[] {
  const filter = options.candidates;
  return filter ? pairs.filter((p) => filter.some((f) => p.measured.id.includes(f))) : pairs;
}

function notesFor(options: BenchOptions): string[] {
  const notes: string[] = [];
  if (options.quick) notes.push(`Quick run (--quick): ${options.rounds} round of ${options.duration} s per route and ${options.repeats} kills per engine, a smoke test of the harness, not a measurement.`);
  if (options.note) notes.push(options.note);
  return notes;
}

function publish(key: string, body: string, options: BenchOptions): void {
  process.stdout.write(`\n${body}\n`);
  if (options.docs) writeDocSection(key, body);
}

async function main(args: string[]): Promise<void> {
  const options = parseBenchOptions(args);
  if (options.help) return void process.stdout.write(USAGE);
  ensureWrk();
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

  if (options.suites.includes("single")) {
    const settings = suiteSettings(options, pinSingle);
    const result = await runSuite("single", chosen(singleCandidates(), options), settings);
    publish("single", suiteSection("One worker beside the raw engine server", context, settings, result), options);
  }
  if (options.suites.includes("parallel")) {
    const settings = suiteSettings(options, false);
    try {
      const result = await runSuite("parallel", chosen(parallelCandidates(), options), settings);
      publish("parallel", suiteSection("Two workers beside each engine's own multi-process mode", context, settings, result), options);
    } finally {
      pm2.kill();
    }
  }
  if (options.suites.includes("replace")) {
    const results: ReplaceResult[] = [];
    for (const engine of ["bun", "deno", "node"] as const) results.push(await measureReplacement(engine, options.repeats));
    publish("replace", replaceSection(context, options.repeats, results), options);
  }
  if (options.suites.includes("costs")) {
    // A pair shares one core while its loads run on the other.
    if (!pinSingle) {
      log("costs: skipped, it needs two CPUs, taskset and pinning (no --no-pin)");
    } else {
      const settings: PairSettings = { rounds: options.rounds, warmup: options.warmup, load: suiteSettings(options, true).load, serverCpus: "0" };
      publish("costs", costsSection(context, settings, await runPairs(chosenPairs(costPairs(), options), settings)), options);
    }
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
