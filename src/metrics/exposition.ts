import { cumulative, DURATION_BUCKETS } from "./histogram.ts";
import type { ProcessMetrics } from "./process-metrics.ts";
import type { RequestMetrics } from "./request-metrics.ts";
import type { WorkerSocketStats } from "../bus/protocol.ts";
import type { JobStatus } from "../scheduler/job-state.ts";
import { scheduleMetricLines } from "../scheduler/metrics.ts";
import { taskMetricLines } from "../tasks/metrics.ts";
import type { StoreMetrics } from "../store/shared-store.ts";
import { storeMetricLines } from "../store/metrics.ts";
import { type ProcessGroupStatus, processMetricLines } from "./custom-process-metrics.ts";
import { clusterMetricLines, type ClusterStatus } from "../cluster/status.ts";

export interface WorkerGauge {
  /** The worker's slot (1..workers): a restarted or reloaded worker keeps it, unlike its pid. */
  id: number;
  pid: number;
  rss: number;
  eventLoopLag: number;
  inflight: number;
  /** The worker's WebSocket counters, from its last heartbeat (absent before the first). */
  websockets?: WorkerSocketStats;
  /** --leak-check: heap growth after GC, bytes per request (absent when off or before two samples). */
  heapSlope?: number;
}

export interface MetricsSnapshot {
  requests: RequestMetrics;
  workers: WorkerGauge[];
  workersByState: Record<string, number>;
  restartsByReason: Record<string, number>;
  /** The supervisor's own health: what the watchdog did, and what the host refused. */
  supervisor: { unresponsiveKills: number; busySpared: number; stalls: number; spawnFailures: number };
  uptimeSeconds: number;
  /** What the supervisor dropped rather than buffer without limit (log lines, bus messages). */
  dropped?: { logLines: number; busMessages: number };
  /** The supervisor process's own `process_*` metrics. */
  process?: ProcessMetrics;
  /** Each scheduled job's counters. */
  schedule?: JobStatus[];
  /** Task workers and the task queue (docs/TASKS.md). */
  tasks?: import("../tasks/queue.ts").TaskCounters & { workers: number; durable?: import("../tasks/durable.ts").DurableCounters };
  /** The shared tables and cache. */
  store?: StoreMetrics;
  /** Each custom process's instances and restarts. */
  processes?: ProcessGroupStatus[];
  /** This node of a cluster on Redis; absent on a server that stands alone. */
  cluster?: ClusterStatus;
}

/** Renders the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  renderRequests(snapshot, family, lines);
  renderSlots(snapshot.workers, family, lines);
  renderHeapSlopes(snapshot.workers, family, lines);
  renderWebSockets(snapshot.workers, family, lines);

  family("lsky_workers", "gauge", "Workers by state.");
  for (const [state, count] of Object.entries(snapshot.workersByState)) lines.push(`lsky_workers{state="${state}"} ${count}`);

  family("lsky_worker_exits_total", "counter", "Worker exits, by reason.");
  for (const [reason, count] of Object.entries(snapshot.restartsByReason)) lines.push(`lsky_worker_exits_total{reason="${reason}"} ${count}`);

  renderSupervisorCounters(snapshot, family, lines);

  if (snapshot.schedule?.length) scheduleMetricLines(snapshot.schedule, family, lines);
  if (snapshot.tasks) taskMetricLines(snapshot.tasks, family, lines);
  if (snapshot.store) storeMetricLines(snapshot.store, family, lines);
  if (snapshot.processes?.length) processMetricLines(snapshot.processes, family, lines);
  if (snapshot.cluster) clusterMetricLines(snapshot.cluster, family, lines);

  family("lsky_uptime_seconds", "gauge", "Seconds since the supervisor started.");
  lines.push(`lsky_uptime_seconds ${snapshot.uptimeSeconds}`);
  if (snapshot.process) renderProcess(snapshot.process, family, lines);
  return `${lines.join("\n")}\n`;
}

function renderRequests(snapshot: MetricsSnapshot, family: (name: string, type: string, help: string) => void, lines: string[]): void {
  family("lsky_requests_total", "counter", "Responses sent, by status class, across all workers.");
  snapshot.requests.statusClasses.forEach((count, i) => {
    if (i > 0) lines.push(`lsky_requests_total{class="${i}xx"} ${count}`);
  });

  family("lsky_request_duration_seconds", "histogram", "Time from request to response headers.");
  const buckets = cumulative(snapshot.requests.duration);
  DURATION_BUCKETS.forEach((le, i) => lines.push(`lsky_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
  lines.push(`lsky_request_duration_seconds_bucket{le="+Inf"} ${buckets[buckets.length - 1]}`);
  lines.push(`lsky_request_duration_seconds_sum ${snapshot.requests.duration.sum}`);
  lines.push(`lsky_request_duration_seconds_count ${snapshot.requests.duration.count}`);

  family("lsky_requests_in_flight", "gauge", "Requests being handled now.");
  lines.push(`lsky_requests_in_flight ${snapshot.workers.reduce((sum, w) => sum + w.inflight, 0)}`);
}

function renderSlots(workers: WorkerGauge[], family: (name: string, type: string, help: string) => void, lines: string[]): void {
  // Labelled by slot only: a pid label would start a new series on every
  // restart. During a reload a slot has two processes, so their memory is
  // added up and the worse lag is kept (one sample per series, as Prometheus requires).
  const slots = bySlot(workers);
  family("lsky_worker_resident_memory_bytes", "gauge", "Resident memory of each worker slot (both processes of a slot during a reload).");
  for (const [id, slot] of slots) lines.push(`lsky_worker_resident_memory_bytes{worker="${id}"} ${slot.rss}`);

  family("lsky_worker_event_loop_lag_seconds", "gauge", "Worst event-loop delay of each worker slot in its last heartbeat period.");
  for (const [id, slot] of slots) lines.push(`lsky_worker_event_loop_lag_seconds{worker="${id}"} ${slot.eventLoopLag / 1000}`);
}

/** The supervisor's own counters: drops, watchdog kills and spares, stalls, spawn failures. */
function renderSupervisorCounters(snapshot: MetricsSnapshot, family: (name: string, type: string, help: string) => void, lines: string[]): void {
  if (snapshot.dropped) {
    family("lsky_log_lines_dropped_total", "counter", "Log lines the supervisor dropped because its stdout or stderr could not keep up or failed.");
    lines.push(`lsky_log_lines_dropped_total ${snapshot.dropped.logLines}`);
    family("lsky_bus_messages_dropped_total", "counter", "Bus messages dropped because a worker's queue was full.");
    lines.push(`lsky_bus_messages_dropped_total ${snapshot.dropped.busMessages}`);
  }

  family("lsky_worker_unresponsive_kills_total", "counter", "Workers killed because they sent no heartbeat for the heartbeat timeout.");
  lines.push(`lsky_worker_unresponsive_kills_total ${snapshot.supervisor.unresponsiveKills}`);

  family("lsky_worker_overload_spared_total", "counter", "Times a worker silent past the heartbeat timeout was found still doing I/O (overloaded, not hung) and left alone.");
  lines.push(`lsky_worker_overload_spared_total ${snapshot.supervisor.busySpared}`);

  family("lsky_supervisor_stalls_total", "counter", "Times the supervisor found it had not run for over two watchdog ticks (stopped or starved of CPU).");
  lines.push(`lsky_supervisor_stalls_total ${snapshot.supervisor.stalls}`);

  family("lsky_worker_spawn_failures_total", "counter", "Worker starts the host refused (no descriptors or processes left).");
  lines.push(`lsky_worker_spawn_failures_total ${snapshot.supervisor.spawnFailures}`);
}

function bySlot(workers: WorkerGauge[]): Map<number, { rss: number; eventLoopLag: number }> {
  const slots = new Map<number, { rss: number; eventLoopLag: number }>();
  for (const w of [...workers].sort((a, b) => a.id - b.id)) {
    const slot = slots.get(w.id);
    if (slot) {
      slot.rss += w.rss;
      slot.eventLoopLag = Math.max(slot.eventLoopLag, w.eventLoopLag);
    } else {
      slots.set(w.id, { rss: w.rss, eventLoopLag: w.eventLoopLag });
    }
  }
  return slots;
}

/** The families every Prometheus client library exports, for the supervisor process. */
function renderProcess(p: ProcessMetrics, family: (name: string, type: string, help: string) => void, lines: string[]): void {
  family("process_cpu_seconds_total", "counter", "Total user and system CPU time of the supervisor, in seconds.");
  lines.push(`process_cpu_seconds_total ${p.cpuSecondsTotal}`);
  family("process_resident_memory_bytes", "gauge", "Resident memory of the supervisor, in bytes.");
  lines.push(`process_resident_memory_bytes ${p.residentMemoryBytes}`);
  if (p.openFds !== undefined) {
    family("process_open_fds", "gauge", "Open file descriptors of the supervisor.");
    lines.push(`process_open_fds ${p.openFds}`);
  }
  family("process_start_time_seconds", "gauge", "Start time of the supervisor since the Unix epoch, in seconds.");
  lines.push(`process_start_time_seconds ${p.startTimeSeconds}`);
}

/**
 * Per worker slot, as its processes count them since they started (both
 * processes of a slot added up during a reload): a replacement starts again
 * from zero, which Prometheus reads as a counter reset, not a new series.
 */
function renderWebSockets(workers: WorkerGauge[], family: (name: string, type: string, help: string) => void, lines: string[]): void {
  const slots = new Map<number, { open: number; messagesIn: number; messagesOut: number; closesByCode: Record<string, number> }>();
  for (const w of [...workers].sort((a, b) => a.id - b.id)) {
    if (!w.websockets) continue;
    const slot = slots.get(w.id) ?? { open: 0, messagesIn: 0, messagesOut: 0, closesByCode: {} };
    slot.open += w.websockets.open;
    slot.messagesIn += w.websockets.messagesIn;
    slot.messagesOut += w.websockets.messagesOut;
    for (const [code, count] of Object.entries(w.websockets.closesByCode)) slot.closesByCode[code] = (slot.closesByCode[code] ?? 0) + count;
    slots.set(w.id, slot);
  }
  family("lsky_websocket_connections", "gauge", "WebSocket connections open on each worker slot.");
  for (const [id, slot] of slots) lines.push(`lsky_websocket_connections{worker="${id}"} ${slot.open}`);
  family("lsky_websocket_messages_total", "counter", "WebSocket messages received (in) and sent (out) by each worker slot.");
  for (const [id, slot] of slots) {
    lines.push(`lsky_websocket_messages_total{worker="${id}",direction="in"} ${slot.messagesIn}`);
    lines.push(`lsky_websocket_messages_total{worker="${id}",direction="out"} ${slot.messagesOut}`);
  }
  family("lsky_websocket_closes_total", "counter", "WebSocket connections closed on each worker slot, by close code.");
  for (const [id, slot] of slots) {
    for (const [code, count] of Object.entries(slot.closesByCode)) lines.push(`lsky_websocket_closes_total{worker="${id}",code="${code}"} ${count}`);
  }
}

/** --leak-check's verdict per slot; the newest process of a slot speaks for it during a reload. */
function renderHeapSlopes(workers: WorkerGauge[], family: (name: string, type: string, help: string) => void, lines: string[]): void {
  const slopes = new Map<number, number>();
  for (const w of workers) if (typeof w.heapSlope === "number") slopes.set(w.id, w.heapSlope);
  if (slopes.size === 0) return;
  family("lsky_worker_heap_growth_bytes_per_request", "gauge", "Growth of each worker's heap after GC over its last --leak-check samples, in bytes per request.");
  for (const [id, slope] of [...slopes].sort((a, b) => a[0] - b[0])) lines.push(`lsky_worker_heap_growth_bytes_per_request{worker="${id}"} ${Math.round(slope * 100) / 100}`);
}
