import type { Candidate } from "./candidates.ts";
import { cpuMsBetween, snapshotCpu } from "./cpu.ts";
import { runRounds, series } from "./rounds.ts";
import { defined } from "./stats.ts";
import { checkAlive, type Served, serve } from "./suite.ts";
import { type LoadSettings, runWrk } from "./wrk.ts";

/**
 * Paired runs, for costs of a few per cent that the interleaved suites cannot
 * resolve on a shared machine: a server and its baseline run at the same time
 * on the same core, each loaded by its own wrk on the other core. Whatever
 * else the machine does then slows both alike, and the ratio of their req/s is
 * the ratio of their CPU cost per request.
 */
export interface Pair {
  /** What the measured side adds to the baseline, as shown in the table. */
  label: string;
  engine: string;
  measured: Candidate;
  baseline: Candidate;
  /** Request headers both loads send (default none). */
  headers?: Record<string, string>;
}

export interface PairSettings {
  rounds: number;
  warmup: number;
  /** wrk settings for each of the two loads; cpus is where both wrk run. */
  load: LoadSettings;
  /** The one CPU both servers share; unset: both share every CPU (the pool suite). */
  serverCpus?: string;
}

export interface PairResult {
  pair: Pair;
  /** measured req/s / baseline req/s, one per round that completed. */
  ratios: number[];
  /** measured / baseline server CPU time per request, one per round that completed. */
  cpuRatios: number[];
  failures: string[];
}

/** The turn id of a pair in the rounds' samples. */
export const pairId = (pair: Pair) => `${pair.engine} ${pair.label}`;

export async function runPairs(pairs: Pair[], settings: PairSettings, suite = "costs"): Promise<PairResult[]> {
  const turns = pairs.map((pair) => ({
    id: pairId(pair),
    // Alternate which side starts first, so neither always has the head start.
    measure: (round: number) => measurePair(pair, settings, round % 2 === 1),
  }));
  const result = await runRounds(suite, turns, { rounds: settings.rounds });
  return pairs.map((pair) => ({
    pair,
    ratios: defined(series(result, pairId(pair), "ratio")),
    cpuRatios: defined(series(result, pairId(pair), "cpuRatio")),
    failures: result.failures.filter((f) => f.includes(`, ${pairId(pair)}: `)),
  }));
}

/** One side's measured run: its wrk figures and its processes' CPU time per request. */
async function loadOne(served: Served, load: LoadSettings, headers?: Pair["headers"]): Promise<{ rps: number; errors: number; cpuUs: number }> {
  const before = snapshotCpu(served.running.pgids());
  const result = await runWrk(load, served.url("/"), headers);
  const cpuMs = cpuMsBetween(before, snapshotCpu(served.running.pgids()));
  return { rps: result.rps, errors: result.errors, cpuUs: result.requests > 0 ? (cpuMs * 1000) / result.requests : Number.NaN };
}

async function measurePair(pair: Pair, settings: PairSettings, baselineFirst: boolean): Promise<{ ratio: number; cpuRatio: number }> {
  const order = baselineFirst ? [pair.baseline, pair.measured] : [pair.measured, pair.baseline];
  const started: Served[] = [];
  try {
    for (const candidate of order) started.push(await serve(candidate, settings.serverCpus));
    if (settings.warmup > 0) await Promise.all(started.map(({ url }) => runWrk({ ...settings.load, duration: settings.warmup }, url("/"), pair.headers)));
    const [first, second] = await Promise.all(started.map((served) => loadOne(served, settings.load, pair.headers)));
    started.forEach(checkAlive);
    const [measured, baseline] = baselineFirst ? [second!, first!] : [first!, second!];
    if (measured.errors || baseline.errors) throw new Error(`wrk saw errors (${measured.errors} / ${baseline.errors})`);
    return { ratio: measured.rps / baseline.rps, cpuRatio: measured.cpuUs / baseline.cpuUs };
  } finally {
    await Promise.all(started.map(({ running }) => running.stop()));
  }
}
