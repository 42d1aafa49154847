import type { ExitReason, WorkerSocketStats } from "../bus/protocol.ts";
import { collectGarbage } from "../runtime/collect-garbage.ts";
import { monotonicNow } from "../clock.ts";
import type { WorkerPool } from "./pool.ts";
import type { SidePools } from "./side-pools.ts";
import type { JobStatus } from "../scheduler/job-state.ts";
import type { StoreMetrics } from "../store/shared-store.ts";
import { type ListenerSpec, type ListenerStats, UDP_OWNER_SLOT } from "../config/listener-options.ts";

export interface WorkerRow {
  id: number;
  pid: number;
  state: string;
  uptime: number;
  requests: number;
  inflight: number;
  rss: number;
  /** WebSocket counters from the worker's last heartbeat. */
  websockets?: WorkerSocketStats;
  /** The app's TCP/UDP listeners this worker serves, with their counters. */
  listeners?: ListenerStats[];
  restarts: number;
  lastExit: { reason: ExitReason; code: number | null; signal: string | null } | null;
}

export interface StatusReport {
  pid: number;
  version: string;
  engine: string;
  engineVersion: string;
  app: string;
  /** The directory the server was started in (`lsky status` there finds it). */
  cwd: string;
  host: string;
  port: number;
  uptime: number;
  supervisor: SupervisorMemory;
  workers: WorkerRow[];
  /** The pools beside the HTTP pool (task workers, custom processes), each with its rows. */
  pools?: { name: string; workers: WorkerRow[] }[];
  /** The app's TCP/UDP listeners (docs/LISTENERS.md); each worker's figures are in its row. */
  listeners?: ListenerRow[];
  /** Each scheduled job (docs/SCHEDULE.md); absent from a server without the scheduler. */
  schedule?: JobStatus[];
  /** Task workers and the task queue's counters (docs/TASKS.md). */
  tasks?: import("./task-service.ts").TaskStatus;
  /** The shared tables' rows and the cache's counters (docs/TABLES.md). */
  store?: StoreMetrics;
  /** This node of a cluster on Redis (docs/CLUSTER.md); absent on a server that stands alone. */
  cluster?: import("../cluster/status.ts").ClusterStatus;
}

/** The supervisor's own memory, in bytes. */
export interface SupervisorMemory {
  rss: number;
  heapUsed: number;
  /** True when a full garbage collection ran just before (LSKY_STATUS_GC=1). */
  collected: boolean;
}

export interface SupervisorInfo {
  version: string;
  engine: string;
  engineVersion: string;
  app: string;
  host: string;
  port: number;
  /** Monotonic ms (clock.ts). */
  startedAt: number;
  listeners?: ListenerRow[];
}

export interface ListenerRow {
  protocol: "tcp" | "udp";
  host: string;
  port: number;
  module: string;
  /** Which processes serve it: every HTTP worker (TCP), or the one in slot 1 (UDP). */
  servedBy: "all workers" | "worker 1";
}

export function describeListeners(listeners: readonly ListenerSpec[], host: string): ListenerRow[] | undefined {
  if (listeners.length === 0) return undefined;
  return listeners.map((l) => ({
    protocol: l.protocol, host: l.host ?? host, port: l.port, module: l.module,
    servedBy: l.protocol === "tcp" ? "all workers" : `worker ${UDP_OWNER_SLOT}` as "worker 1",
  }));
}

const STATS_WAIT_MS = 300;

/**
 * A diagnostic switch, not a setting: with LSKY_STATUS_GC=1 every status
 * report collects the supervisor's garbage before measuring its heap, so that
 * `heapUsed` is what the supervisor retains (the soak test reads it to tell a
 * leak from garbage awaiting collection). On Node and Deno the engine must
 * also be started with --expose-gc.
 */
export const STATUS_GC_ENV = "LSKY_STATUS_GC";

/**
 * Asks every worker for fresh counters (waiting briefly; a worker that does
 * not answer shows its last heartbeat) and builds the report `lsky status`
 * prints. Only process facts go in: never the environment.
 */
export async function collectStatus(pool: WorkerPool, info: SupervisorInfo, sidePools?: SidePools): Promise<StatusReport> {
  const side = sidePools?.list() ?? [];
  const workers = [...pool.workers(), ...side.flatMap((entry) => entry.pool.workers())];
  const before = new Map(workers.map((w) => [w, w.lastSeen]));
  // A command process never speaks to the bus: nothing to wait for.
  const asked = workers.filter((worker) => worker.send({ type: "stats-request" }));
  const deadline = monotonicNow() + STATS_WAIT_MS;
  while (monotonicNow() < deadline && asked.some((w) => w.state !== "starting" && w.lastSeen === before.get(w))) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const now = monotonicNow();
  return {
    pid: process.pid,
    version: info.version,
    engine: info.engine,
    engineVersion: info.engineVersion,
    app: info.app,
    cwd: process.cwd(),
    host: info.host,
    port: info.port,
    uptime: Math.round(now - info.startedAt),
    supervisor: supervisorMemory(process.env[STATUS_GC_ENV] === "1"),
    workers: poolRows(pool, now),
    ...(info.listeners ? { listeners: info.listeners } : {}),
    ...(side.length ? { pools: side.map(({ name, pool }) => ({ name, workers: [...poolRows(pool, now), ...emptySlotRows(pool)] })) } : {}),
  };
}

function poolRows(pool: WorkerPool, now: number): WorkerRow[] {
  return pool.workers().map((worker): WorkerRow => {
    const slot = pool.slots.find((s) => s.id === worker.slot)!;
    return {
      id: worker.slot,
      pid: worker.pid,
      state: worker.state,
      uptime: Math.round(now - worker.startedAt),
      ...worker.stats,
      restarts: slot.restarts,
      lastExit: slot.lastExit ? { reason: slot.lastExit.reason, code: slot.lastExit.code, signal: slot.lastExit.signal } : null,
    };
  }).sort((a, b) => a.id - b.id || a.uptime - b.uptime);
}

/**
 * A side pool's slots with no process: waiting out a restart delay
 * ("backoff"), or given up on after repeated failures ("given-up"), so a
 * process that keeps failing still has its row.
 */
function emptySlotRows(pool: WorkerPool): WorkerRow[] {
  return pool.slots.filter((slot) => !slot.worker).map((slot): WorkerRow => ({
    id: slot.id,
    pid: 0,
    state: slot.givenUp ? "given-up" : "backoff",
    uptime: 0,
    requests: 0,
    inflight: 0,
    rss: 0,
    restarts: slot.restarts,
    lastExit: slot.lastExit ? { reason: slot.lastExit.reason, code: slot.lastExit.code, signal: slot.lastExit.signal } : null,
  }));
}

export function supervisorMemory(collect: boolean): SupervisorMemory {
  const collected = collect && collectGarbage();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, collected };
}
