// The "memory" suite: RSS and PSS of idle servers after the same bounded
// warm-up: lsky's supervisor and each of its workers (1 and 2 workers, on
// every engine and the compiled binary) beside the raw engine server serving
// the same app, node:cluster's primary and PM2's daemon. Candidates are
// interleaved in rounds; every figure is a median over rounds.
import { type Candidate, lskyCandidate, pm2Cluster, scriptPeer } from "./candidates.ts";
import { binaryCandidate, CompiledHello } from "./binary.ts";
import type { Engine } from "./paths.ts";
import { PM2_START_SHOWN, pm2 } from "./pm2.ts";
import { childPids, type ProcessMemory, processMemory } from "./proc-memory.ts";
import { type Figures, type RoundsResult, runRounds } from "./rounds.ts";
import { checkAlive, serve } from "./suite.ts";
import { waitIdle, warmWith } from "./warm.ts";

export interface MemorySettings {
  rounds: number;
  engines: Engine[];
  /** Requests of the warm-up, over WARM_CONNECTIONS keep-alive connections. */
  warmRequests: number;
}

export interface MemoryResult extends RoundsResult {
  candidates: Candidate[];
  settings: MemorySettings;
}

export const WARM_CONNECTIONS = 8;

/** The raw server on each engine that lsky's worker is compared with. */
export const RAW_PEER: Record<Engine, Candidate> = {
  bun: scriptPeer("bun-serve", "raw Bun.serve", "bun", "bun-serve.ts"),
  deno: scriptPeer("deno-serve", "raw Deno.serve", "deno", "deno-serve.ts"),
  node: scriptPeer("node-hono", "node:http + @hono/node-server", "node", "node-hono.mjs"),
};

const pm2With = (n: number): Candidate => ({ ...pm2Cluster(n), command: PM2_START_SHOWN.replace("-i 2", `-i ${n}`) });
const nodeCluster = (n: number) => scriptPeer(`node-cluster-${n}`, `node:cluster, ${n} worker(s)`, "node", "node-cluster.mjs", 1, { WORKERS: String(n) }, n);

export function memoryCandidates(engines: Engine[], compiled: CompiledHello): Candidate[] {
  const perEngine = engines.flatMap((e) => [RAW_PEER[e], lskyCandidate(e, 1), lskyCandidate(e, 2)]);
  const binary = engines.includes("bun") ? [compiled.candidate(), binaryCandidate(1), binaryCandidate(2)] : [];
  const nodePeers = engines.includes("node") ? [nodeCluster(1), nodeCluster(2), pm2With(1), pm2With(2)] : [];
  return [...perEngine, ...binary, ...nodePeers];
}

/** The process that owns the others: lsky's supervisor, the cluster primary, PM2's daemon, or the lone server. */
function mainPid(candidate: Candidate, pgids: number[]): number {
  const pid = candidate.id.startsWith("pm2-") ? pm2.daemonPid() : pgids[0];
  if (pid === undefined) throw new Error(`${candidate.id}: no main process`);
  return pid;
}

/** Candidates whose main process supervises workers (the raw servers are one process). */
export const SUPERVISED = /^(lsky|node-cluster|pm2)-/;

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

const FIELDS = { rss: "rssKb", pss: "pssKb", anon: "anonKb", file: "fileKb" } as const;

/** main.* of the main process and worker.* as the mean over its workers (rss, pss, anon, file; kB); workers = their count. */
export function memoryFigures(main: ProcessMemory, workers: ProcessMemory[]): Figures {
  const figures: Figures = { workers: workers.length };
  for (const [name, key] of Object.entries(FIELDS)) {
    if (main[key] !== undefined) figures[`main.${name}`] = main[key];
    const values = workers.map((w) => w[key]).filter((v): v is number => v !== undefined);
    if (values.length > 0 && values.length === workers.length) figures[`worker.${name}`] = mean(values);
  }
  return figures;
}

async function measureOnce(candidate: Candidate, settings: MemorySettings): Promise<Figures> {
  const served = await serve(candidate);
  try {
    await warmWith(served.url("/"), settings.warmRequests, WARM_CONNECTIONS);
    const pgids = served.running.pgids();
    await waitIdle(pgids);
    checkAlive(served);
    const main = mainPid(candidate, pgids);
    const workers = childPids(main);
    const expected = SUPERVISED.test(candidate.id) ? candidate.instances : 0;
    if (workers.length !== expected) {
      throw new Error(`${candidate.id}: expected ${candidate.instances} worker(s) under pid ${main}, found ${workers.length}`);
    }
    return memoryFigures(processMemory(main), workers.map(processMemory));
  } finally {
    await served.running.stop();
  }
}

const mb = (kb: number | undefined) => (kb === undefined ? "-" : (kb / 1024).toFixed(1));

export async function runMemorySuite(settings: MemorySettings): Promise<MemoryResult> {
  const compiled = new CompiledHello();
  const candidates = memoryCandidates(settings.engines, compiled);
  try {
    const turns = candidates.map((candidate) => ({
      id: candidate.id,
      measure: () => measureOnce(candidate, settings),
      describe: (f: Figures) => `main RSS ${mb(f["main.rss"])} MB PSS ${mb(f["main.pss"])} MB, ${f.workers} worker(s) RSS ${mb(f["worker.rss"])} MB PSS ${mb(f["worker.pss"])} MB`,
    }));
    return { candidates, settings, ...(await runRounds("memory", turns, { rounds: settings.rounds })) };
  } finally {
    compiled.remove();
    pm2.kill();
  }
}
