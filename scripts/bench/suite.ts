import type { Candidate } from "./candidates.ts";
import { freePort } from "./processes.ts";
import { waitForInstances } from "./probe.ts";
import { cpuMsBetween, snapshotCpu } from "./cpu.ts";
import { type LoadResult, type LoadSettings, runWrk } from "./wrk.ts";

export interface Route {
  name: string;
  path: string;
}

export const ROUTES: Route[] = [
  { name: "hello", path: "/" },
  { name: "json", path: "/json" },
];

export interface SuiteSettings {
  rounds: number;
  /** Seconds of unmeasured load on / before the measured runs of each round. */
  warmup: number;
  load: LoadSettings;
  /** CPUs for the server, e.g. "0" (wrk then runs on load.cpus). */
  serverCpus?: string;
}

/** One route's figures for one turn: wrk's, and the server's CPU time per request. */
export interface RouteFigures extends LoadResult {
  /** CPU microseconds the server's processes (all of them: supervisor, workers, threads) spent per request. */
  cpuUs: number;
}

/** One candidate's figures: per route, one entry per round (undefined when that round failed). */
export type CandidateSamples = Record<string, (RouteFigures | undefined)[]>;

export interface SuiteResult {
  candidates: Candidate[];
  samples: Map<string, CandidateSamples>;
  /** Failures, one line each ("round 2, lsky-node-1: ..."). */
  failures: string[];
}

/** How long a candidate may take to answer after it was started. */
export const START_TIMEOUT_MS = 60_000;

/**
 * Runs every candidate once per round, in the same order each round
 * (A B C A B C ...), so slow drifts in the machine's load hit all of them
 * alike. Each turn starts the candidate fresh on a free port, waits until all
 * of its instances answer, warms it up, measures each route, and stops it.
 */
export async function runSuite(name: string, candidates: Candidate[], settings: SuiteSettings): Promise<SuiteResult> {
  const result: SuiteResult = { candidates, samples: new Map(), failures: [] };
  for (const c of candidates) result.samples.set(c.id, Object.fromEntries(ROUTES.map((r) => [r.name, []])));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const candidate of candidates) {
      const samples = result.samples.get(candidate.id)!;
      try {
        const figures = await measureOnce(candidate, settings);
        for (const route of ROUTES) samples[route.name]![round - 1] = figures[route.name];
        log(`${name} round ${round}/${settings.rounds} ${candidate.id}: ${summary(figures)}`);
      } catch (error) {
        const line = `round ${round}, ${candidate.id}: ${(error as Error).message}`;
        result.failures.push(line.split("\n")[0]!);
        log(`${name} ${line}`);
      }
    }
  }
  return result;
}

async function measureOnce(candidate: Candidate, settings: SuiteSettings): Promise<Record<string, RouteFigures>> {
  const port = await freePort();
  const running = await candidate.start(port, settings.serverCpus);
  try {
    await waitForInstances(port, candidate.instances, START_TIMEOUT_MS, running.died);
    const url = (path: string) => `http://127.0.0.1:${port}${path}`;
    if (settings.warmup > 0) await runWrk({ ...settings.load, duration: settings.warmup }, url("/"));
    const figures: Record<string, RouteFigures> = {};
    for (const route of ROUTES) {
      const before = snapshotCpu(running.pgids());
      const load = await runWrk(settings.load, url(route.path));
      const cpuMs = cpuMsBetween(before, snapshotCpu(running.pgids()));
      figures[route.name] = { ...load, cpuUs: load.requests > 0 ? (cpuMs * 1000) / load.requests : Number.NaN };
    }
    const died = running.died();
    if (died !== undefined) throw new Error(`exited during the measurement:\n${died}`);
    return figures;
  } finally {
    await running.stop();
  }
}

function summary(figures: Record<string, RouteFigures>): string {
  return ROUTES.map((r) => {
    const f = figures[r.name]!;
    return `${r.name} ${Math.round(f.rps)} req/s p99 ${f.p99.toFixed(2)} ms cpu ${f.cpuUs.toFixed(1)} us/req${f.errors ? ` (${f.errors} errors)` : ""}`;
  }).join(", ");
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
