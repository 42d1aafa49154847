import { formatSettingValue } from "../config/format-value.ts";
import { type ServeSettings, SETTINGS, type SettingSpec } from "../config/options.ts";
import type { SettingSource } from "../config/resolve.ts";
import { monotonicNow } from "../clock.ts";
import type { WorkerPool } from "../supervisor/pool.ts";
import type { WorkerRow } from "../supervisor/status.ts";
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
