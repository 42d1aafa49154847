// The "scaling" suite: lsky with 1 and 2 workers on a CPU-bound route (about
// a millisecond of JavaScript per request), on every engine and the compiled
// binary, beside node:cluster with 1 and 2 processes as this machine's
// ceiling. wrk runs on the same cores, so besides req/s the suite reports the
// servers' CPU time per request: a 2-worker / 1-worker ratio near 1.0 means
// no per-worker overhead.
import { join } from "node:path";
import { binaryCandidate } from "./binary.ts";
import { type Candidate, lskyCandidate, scriptPeer } from "./candidates.ts";
import { cpuMsBetween, snapshotCpu } from "./cpu.ts";
import { type Engine, SERVERS, shown } from "./paths.ts";
import { type Figures, type RoundsResult, runRounds } from "./rounds.ts";
import { checkAlive, serve } from "./suite.ts";
import { type LoadSettings, runWrk } from "./wrk.ts";

export const CPU_APP = join(SERVERS, "cpu-app.mjs");

export interface ScalingSettings {
  rounds: number;
  engines: Engine[];
  /** Seconds of unmeasured load before each measured run. */
  warmup: number;
  load: LoadSettings;
}

/** One row of the report: the 1-worker and 2-worker candidates of an engine. */
export interface ScalingRow {
  engine: string;
  label: string;
  one: Candidate;
  two: Candidate;
}

export interface ScalingResult extends RoundsResult {
  rows: ScalingRow[];
  settings: ScalingSettings;
}

function cluster(n: number): Candidate {
  const peer = scriptPeer(`node-cluster-cpu-${n}`, `node:cluster, ${n} process(es)`, "node", "node-cluster.mjs", 1, { WORKERS: String(n), BENCH_APP: CPU_APP }, n);
  return { ...peer, command: peer.command.replace(CPU_APP, shown(CPU_APP)) };
}

export function scalingRows(engines: Engine[]): ScalingRow[] {
  const lsky = (engine: Engine): ScalingRow => ({
    engine, label: "lsky", one: lskyCandidate(engine, 1, undefined, CPU_APP), two: lskyCandidate(engine, 2, undefined, CPU_APP),
  });
  const rows = engines.map(lsky);
  if (engines.includes("bun")) rows.push({ engine: "binary", label: "dist/lsky", one: binaryCandidate(1, CPU_APP), two: binaryCandidate(2, CPU_APP) });
  if (engines.includes("node")) rows.push({ engine: "node", label: "node:cluster (reference)", one: cluster(1), two: cluster(2) });
  return rows;
}

async function measureOnce(candidate: Candidate, settings: ScalingSettings): Promise<Figures> {
  const served = await serve(candidate);
  const { running, url } = served;
  try {
    if (settings.warmup > 0) await runWrk({ ...settings.load, duration: settings.warmup }, url("/"));
    const before = snapshotCpu(running.pgids());
    const load = await runWrk(settings.load, url("/"));
    const cpuMs = cpuMsBetween(before, snapshotCpu(running.pgids()));
    checkAlive(served);
    return { rps: load.rps, cpuUs: load.requests > 0 ? (cpuMs * 1000) / load.requests : Number.NaN, errors: load.errors };
  } finally {
    await running.stop();
  }
}

/** Every row's two candidates, interleaved in each round (1 worker, 2 workers, next engine, ...). */
export async function runScalingSuite(settings: ScalingSettings): Promise<ScalingResult> {
  const rows = scalingRows(settings.engines);
  const turns = rows.flatMap((r) => [r.one, r.two]).map((candidate) => ({
    id: candidate.id,
    measure: () => measureOnce(candidate, settings),
    describe: (f: Figures) => `${Math.round(f.rps!)} req/s, ${f.cpuUs!.toFixed(0)} us CPU/req${f.errors ? `, ${f.errors} errors` : ""}`,
  }));
  return { rows, settings, ...(await runRounds("scaling", turns, { rounds: settings.rounds })) };
}
