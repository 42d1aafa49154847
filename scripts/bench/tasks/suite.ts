// The "tasks" suite: tasks.run of an empty handler through lsky (one HTTP
// worker submitting, 2 task workers running, every task through the
// supervisor's queue), beside Piscina and a raw child-process IPC round trip
// run from this (Node) process. Round trip median and p99 one at a time,
// tasks/s with 64 in flight, and the CPU time all processes spent per task.
import { join } from "node:path";
import { lskyCandidate } from "../candidates.ts";
import { cpuMsBetween, snapshotCpu } from "../cpu.ts";
import { type Engine, ROOT } from "../paths.ts";
import { contextBlock, failureLines, int, type RunContext, table } from "../report.ts";
import { type Figures, type RoundsResult, runRounds, series, type Turn } from "../rounds.ts";
import { defined, median } from "../stats.ts";
import { checkAlive, type Served, serve } from "../suite.ts";
import { roundTrips, throughput } from "./measure.ts";
import { ipcPeer, piscinaPeer, type TaskPeer } from "./peers.ts";
import { processStat } from "../../../src/proc-stat.ts";

const TASKS_APP = join(ROOT, "scripts", "bench", "tasks", "app.ts");
const RTT_N = 2000;
const RATE_N = 20000;
const CONCURRENCY = 64;

export interface TasksSettings {
  rounds: number;
  engines: Engine[];
  /** Divides every task count (a quick run's smoke test). */
  scaleDown: number;
}

export interface TasksResult extends RoundsResult {
  settings: TasksSettings;
  labels: Map<string, string>;
}

const counts = (scaleDown: number) => ({ rtt: Math.max(1, Math.round(RTT_N / scaleDown)), rate: Math.max(1, Math.round(RATE_N / scaleDown)) });

async function ask(served: Served, query: string): Promise<Record<string, number>> {
  const response = await fetch(served.url(`/?${query}`));
  const body = await response.json() as Record<string, number>;
  if (response.status !== 200) throw new Error(`${query} failed: ${JSON.stringify(body)}`);
  return body;
}

async function measureLsky(served: Served, scaleDown: number): Promise<Figures> {
  const { rtt, rate } = counts(scaleDown);
  const trips = await ask(served, `kind=rtt&n=${rtt}`);
  const before = snapshotCpu(served.running.pgids());
  const load = await ask(served, `kind=rate&n=${rate}&c=${CONCURRENCY}`);
  const cpuMs = cpuMsBetween(before, snapshotCpu(served.running.pgids()));
  checkAlive(served);
  return { medianMs: trips.medianMs!, p99Ms: trips.p99Ms!, perSecond: load.perSecond!, cpuUs: (cpuMs * 1000) / rate };
}

/** utime + stime of these processes, in ms (Linux; 0 elsewhere). */
function childCpuMs(pids: number[]): number {
  let ticks = 0;
  // Nothing for a process that is gone, or where there is no /proc.
  for (const pid of pids) ticks += processStat(pid)?.cpuTicks ?? 0;
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function measurePeer(peer: TaskPeer, scaleDown: number): Promise<Figures> {
  const { rtt, rate } = counts(scaleDown);
  const trips = await roundTrips(peer.runOne, rtt);
  const [own, children] = [process.cpuUsage(), childCpuMs(peer.pids())];
  const load = await throughput(peer.runOne, rate, CONCURRENCY);
  const ownUs = process.cpuUsage(own);
  const cpuMs = (ownUs.user + ownUs.system) / 1000 + childCpuMs(peer.pids()) - children;
  return { medianMs: trips.medianMs, p99Ms: trips.p99Ms, perSecond: load.perSecond, cpuUs: (cpuMs * 1000) / rate };
}

// long: starts every runner, warms each, interleaves them over the rounds and stops them all
export async function runTasksSuite(settings: TasksSettings): Promise<TasksResult> {
  const servers = new Map<Engine, Served>();
  const peers: TaskPeer[] = [];
  const labels = new Map<string, string>();
  try {
    for (const engine of settings.engines) {
      const served = await serve(lskyCandidate(engine, 1, { id: "tasks", flags: ["--task-workers", "2"] }, TASKS_APP));
      servers.set(engine, served);
      labels.set(`lsky-${engine}`, `lsky, 2 task workers (${engine})`);
      await ask(served, "kind=rate&n=500&c=16"); // warm-up: both task workers answer, the JITs get going
    }
    if (settings.engines.includes("node")) peers.push(await piscinaPeer(), ipcPeer());
    for (const peer of peers) {
      labels.set(peer.id, peer.label);
      await throughput(peer.runOne, 500, 16);
    }
    const turns: Turn[] = [
      ...[...servers].map(([engine, served]) => ({ id: `lsky-${engine}`, measure: () => measureLsky(served, settings.scaleDown) })),
      ...peers.map((peer) => ({ id: peer.id, measure: () => measurePeer(peer, settings.scaleDown) })),
    ];
    return { settings, labels, ...(await runRounds("tasks", turns, { rounds: settings.rounds, rotate: true })) };
  } finally {
    for (const served of servers.values()) await served.running.stop();
    for (const peer of peers) await peer.close();
  }
}

export function tasksSection(context: RunContext, result: TasksResult): string {
  const { rounds, scaleDown } = result.settings;
  const { rtt, rate } = counts(scaleDown);
  const value = (id: string, figure: string) => median(defined(series(result, id, figure)));
  const us = (ms: number) => (Number.isFinite(ms) ? `${(ms * 1000).toFixed(0)} µs` : "n/a");
  const rows = [...result.labels].map(([id, label]) => [
    label, `${int(value(id, "perSecond"))}/s`, us(value(id, "medianMs")), us(value(id, "p99Ms")),
    Number.isFinite(value(id, "cpuUs")) ? `${value(id, "cpuUs").toFixed(1)} µs` : "n/a",
  ]);
  return [
    "### Tasks: tasks.run beside Piscina and a raw IPC round trip",
    "",
    contextBlock(context),
    "- lsky: `lsky serve scripts/bench/tasks/app.ts --workers 1 --task-workers 2` per engine; the HTTP worker calls `tasks.run(\"noop\")` (an empty handler), so each task goes worker -> supervisor queue -> task worker -> supervisor -> worker",
    "- Piscina (2 threads) and the IPC baseline (2 forked children echoing over `process.send`) run in the bench's own Node process",
    `- Per round: ${rtt} round trips one at a time (median, p99), then ${rate} tasks with ${CONCURRENCY} in flight (tasks/s, and the CPU time of all processes involved per task); runners interleaved, each round starting one later; ${rounds} round(s), medians over rounds`,
    "",
    table(["runner", `tasks/s (${CONCURRENCY} in flight)`, "round trip median", "round trip p99", "CPU per task"], rows),
    "",
    ...failureLines(result.failures),
  ].join("\n").trimEnd();
}
