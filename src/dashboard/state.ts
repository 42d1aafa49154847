import { formatSettingValue } from "../config/format-value.ts";
import { type ServeSettings, SETTINGS, type SettingSpec } from "../config/options.ts";
import type { SettingSource } from "../config/resolve.ts";
import { monotonicNow } from "../clock.ts";
import type { MetricsSnapshot } from "../metrics/exposition.ts";
import { tasksInUse } from "../tasks/metrics.ts";
import type { WorkerPool } from "../supervisor/pool.ts";
import type { ListenerRow, WorkerRow } from "../supervisor/status.ts";
import type { WorkerHandle } from "../supervisor/worker-handle.ts";
import type { Gauges } from "./history.ts";

/** A worker row as `lsky status` has it, plus states only the dashboard shows. */
export interface DashboardWorkerRow extends Omit<WorkerRow, "state"> {
  /** "restarting": the slot's worker exited and its replacement is not started yet. */
  state: WorkerRow["state"] | "restarting";
}

export interface ConfigRow {
  key: string;
  value: string;
  source: string;
  flag: string;
  env: readonly string[];
}

/**
 * Every slot's worker and every worker still draining, from the heartbeats
 * already received: asking each worker for fresh counters (as `lsky status`
 * does) once a second would double the bus traffic for nothing.
 */
export function workerRows(pool: Pick<WorkerPool, "slots" | "draining">, now = monotonicNow()): DashboardWorkerRow[] {
  const rows: DashboardWorkerRow[] = [];
  for (const slot of pool.slots) {
    const lastExit = slot.lastExit ? { reason: slot.lastExit.reason, code: slot.lastExit.code, signal: slot.lastExit.signal } : null;
    const base = { id: slot.id, restarts: slot.restarts, lastExit };
    if (slot.worker) rows.push({ ...base, ...rowOf(slot.worker, now) });
    else rows.push({ ...base, pid: 0, state: "restarting", uptime: 0, requests: 0, inflight: 0, rss: 0 });
    for (const old of pool.draining) if (old.slot === slot.id && old !== slot.worker) rows.push({ ...base, ...rowOf(old, now) });
  }
  return rows;
}

function rowOf(worker: WorkerHandle, now: number) {
  return { pid: worker.pid, state: worker.state, uptime: now - worker.startedAt, ...worker.stats };
}

/** Memory (MiB) and event-loop lag (ms) of each slot's current worker, in slot order. */
export function slotGauges(pool: Pick<WorkerPool, "slots">): Gauges {
  const current = pool.slots.map((slot) => (slot.worker?.state === "exited" ? undefined : slot.worker));
  return {
    memory: current.map((w) => (w && w.stats.rss > 0 ? Math.round((w.stats.rss / 1_048_576) * 10) / 10 : null)),
    lag: current.map((w) => (w?.metrics ? w.metrics.eventLoopLag : null)),
  };
}

/** The settings in effect and where each came from, as `lsky config` prints them; secrets never. */
export function configRows(settings: ServeSettings, sources: Partial<Record<keyof ServeSettings, SettingSource>>): ConfigRow[] {
  return (SETTINGS as readonly SettingSpec[]).map((spec) => ({
    key: spec.key,
    value: formatSettingValue(spec, settings[spec.key]),
    source: sources[spec.key] ?? "default",
    flag: `--${spec.flag}`,
    env: spec.env,
  }));
}

/** The pools beside the HTTP pool (task workers, custom processes), each with its rows. */
export function sidePoolRows(pools: readonly { name: string; pool: Pick<WorkerPool, "slots" | "draining"> }[], now = monotonicNow()) {
  return pools.map(({ name, pool }) => ({ name, workers: workerRows(pool, now) }));
}

/**
 * What the facilities beside the HTTP workers report, for their panels: null
 * for a facility this server does not use, so the page shows only its own.
 */
export function facilityState(snapshot: MetricsSnapshot, listeners: readonly ListenerRow[] | undefined) {
  const { tasks, store } = snapshot;
  return {
    websockets: socketTotals(snapshot.workers),
    tasks: tasksInUse(tasks) ? tasks : null,
    schedule: snapshot.schedule?.length ? snapshot.schedule : null,
    tables: store?.tables.length ? store.tables : null,
    cache: store && (store.cache.entries > 0 || store.cache.hits + store.cache.misses > 0) ? store.cache : null,
    listeners: listeners?.length ? listeners : null,
    cluster: snapshot.cluster ?? null,
  };
}

// Every worker reports its counters, zeros included: the block shows once a
// client has connected (or was refused), so an app without WebSockets has none.
function socketTotals(workers: MetricsSnapshot["workers"]) {
  const total = { open: 0, opened: 0, messagesIn: 0, messagesOut: 0, refused: 0 };
  for (const { websockets } of workers) {
    if (!websockets) continue;
    total.open += websockets.open;
    total.opened += websockets.opened;
    total.messagesIn += websockets.messagesIn;
    total.messagesOut += websockets.messagesOut;
    total.refused += websockets.refused;
  }
  return total.opened + total.refused > 0 ? total : null;
}
