import type { Candidate, Running } from "./candidates.ts";
import { cpuMsBetween, snapshotCpu } from "./cpu.ts";
import { freePort } from "./processes.ts";
import { waitForInstances } from "./probe.ts";
import { type Figures, type RoundsResult, runRounds } from "./rounds.ts";
import { type LoadSettings, runWrk } from "./wrk.ts";

export interface Route {
  name: string;
  path: string;
}

export const ROUTES: Route[] = [
  { name: "hello", path: "/" },
  { name: "json", path: "/json" },
];

/** What the suite measures per route: wrk's figures and the server's CPU time per request. */
export const FIELDS = ["rps", "p99", "cpuUs", "errors"] as const;
export type Field = (typeof FIELDS)[number];

export interface SuiteSettings {
  rounds: number;
  /** Seconds of unmeasured load on / before the measured runs of each turn. */
  warmup: number;
  load: LoadSettings;
  /** CPUs for the server, e.g. "0" (wrk then runs on load.cpus). */
  serverCpus?: string;
}

export interface SuiteResult extends RoundsResult {
  candidates: Candidate[];
}

/** How long a candidate may take to answer after it was started. */
export const START_TIMEOUT_MS = 60_000;

/** The figure name of a route's field in the samples ("hello.rps"). */
export const figureName = (route: string, field: Field) => `${route}.${field}`;

/**
 * Runs every candidate once per round, interleaved. Each turn starts the
 * candidate fresh on a free port, waits until all of its instances answer,
 * warms it up, measures each route, and stops it.
 */
export async function runSuite(name: string, candidates: Candidate[], settings: SuiteSettings): Promise<SuiteResult> {
  const turns = candidates.map((candidate) => ({
    id: candidate.id,
    measure: () => measureOnce(candidate, settings),
    describe: summary,
  }));
  return { candidates, ...(await runRounds(name, turns, { rounds: settings.rounds })) };
}

/** A candidate started on a free loopback port, every one of its instances answering. */
export interface Served {
  candidate: Candidate;
  port: number;
  running: Running;
  url(path: string): string;
}

/** Starts a candidate and waits until all of its instances answer; stops it again when they do not. */
export async function serve(candidate: Candidate, cpus?: string): Promise<Served> {
  const port = await freePort();
  const running = await candidate.start(port, cpus);
  try {
    await waitForInstances(port, candidate.instances, START_TIMEOUT_MS, running.died);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return { candidate, port, running, url: (path) => `http://127.0.0.1:${port}${path}` };
}

/** Throws when a process of the candidate exited while it was measured. */
export function checkAlive(served: Served): void {
  const died = served.running.died();
  if (died !== undefined) throw new Error(`${served.candidate.id} exited during the measurement:\n${died}`);
}

async function measureOnce(candidate: Candidate, settings: SuiteSettings): Promise<Figures> {
  const served = await serve(candidate, settings.serverCpus);
  const { running, url } = served;
  try {
    if (settings.warmup > 0) await runWrk({ ...settings.load, duration: settings.warmup }, url("/"));
    const figures: Figures = {};
    for (const route of ROUTES) {
      const before = snapshotCpu(running.pgids());
      const load = await runWrk(settings.load, url(route.path));
      const cpuMs = cpuMsBetween(before, snapshotCpu(running.pgids()));
      const cpuUs = load.requests > 0 ? (cpuMs * 1000) / load.requests : Number.NaN;
      Object.assign(figures, { [figureName(route.name, "rps")]: load.rps, [figureName(route.name, "p99")]: load.p99 });
      Object.assign(figures, { [figureName(route.name, "cpuUs")]: cpuUs, [figureName(route.name, "errors")]: load.errors });
    }
    checkAlive(served);
    return figures;
  } finally {
    await running.stop();
  }
}

function summary(figures: Figures): string {
  return ROUTES.map(({ name }) => {
    const at = (field: Field) => figures[figureName(name, field)]!;
    const errors = at("errors") ? ` (${at("errors")} errors)` : "";
    return `${name} ${Math.round(at("rps"))} req/s p99 ${at("p99").toFixed(2)} ms cpu ${at("cpuUs").toFixed(1)} us/req${errors}`;
  }).join(", ");
}
