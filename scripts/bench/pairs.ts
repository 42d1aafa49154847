import type { Candidate, Running } from "./candidates.ts";
import { freePort } from "./processes.ts";
import { waitForInstances } from "./probe.ts";
import { log, START_TIMEOUT_MS } from "./suite.ts";
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
}

export interface PairSettings {
  rounds: number;
  warmup: number;
  /** wrk settings for each of the two loads; cpus is where both wrk run. */
  load: LoadSettings;
  /** The one CPU both servers share. */
  serverCpus: string;
}

export interface PairResult {
  pair: Pair;
  /** measured req/s / baseline req/s, one per round that completed. */
  ratios: number[];
  failures: string[];
}

export async function runPairs(pairs: Pair[], settings: PairSettings): Promise<PairResult[]> {
  const results = pairs.map((pair): PairResult => ({ pair, ratios: [], failures: [] }));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const result of results) {
      try {
        // Alternate which side starts first, so neither always has the head start.
        const ratio = await measurePair(result.pair, settings, round % 2 === 0);
        result.ratios.push(ratio);
        log(`costs round ${round}/${settings.rounds} ${result.pair.engine} ${result.pair.label}: ${ratio.toFixed(3)}`);
      } catch (error) {
        const line = `round ${round}, ${result.pair.label}: ${(error as Error).message}`;
        result.failures.push(line.split("\n")[0]!);
        log(`costs ${line}`);
      }
    }
  }
  return results;
}

async function measurePair(pair: Pair, settings: PairSettings, baselineFirst: boolean): Promise<number> {
  const order = baselineFirst ? [pair.baseline, pair.measured] : [pair.measured, pair.baseline];
  const started: { port: number; running: Running }[] = [];
  try {
    for (const candidate of order) {
      const port = await freePort();
      const running = await candidate.start(port, settings.serverCpus);
      started.push({ port, running });
      await waitForInstances(port, candidate.instances, START_TIMEOUT_MS, running.died);
    }
    const loadBoth = (duration: number) =>
      Promise.all(started.map(({ port }) => runWrk({ ...settings.load, duration }, `http://127.0.0.1:${port}/`)));
    if (settings.warmup > 0) await loadBoth(settings.warmup);
    const [first, second] = await loadBoth(settings.load.duration);
    for (const { running } of started) {
      const died = running.died();
      if (died !== undefined) throw new Error(`exited during the measurement:\n${died}`);
    }
    const [measured, baseline] = baselineFirst ? [second!, first!] : [first!, second!];
    if (measured.errors || baseline.errors) throw new Error(`wrk saw errors (${measured.errors} / ${baseline.errors})`);
    return measured.rps / baseline.rps;
  } finally {
    await Promise.all(started.map(({ running }) => running.stop()));
  }
}
