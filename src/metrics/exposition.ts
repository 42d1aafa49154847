import { cumulative, DURATION_BUCKETS } from "./histogram.ts";
import type { RequestMetrics } from "./request-metrics.ts";
import type { WorkerSocketStats } from "../bus/protocol.ts";

export interface WorkerGauge {
  id: number;
  pid: number;
  rss: number;
  eventLoopLag: number;
  inflight: number;
  /** The worker's WebSocket counters, from its last heartbeat (absent before the first). */
  websockets?: WorkerSocketStats;
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
}

/** Renders the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

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

  family("lsky_worker_resident_memory_bytes", "gauge", "Resident memory of each worker.");
  for (const w of snapshot.workers) lines.push(`lsky_worker_resident_memory_bytes{worker="${w.id}",pid="${w.pid}"} ${w.rss}`);

  family("lsky_worker_event_loop_lag_seconds", "gauge", "Worst event-loop delay of each worker in its last heartbeat period.");
  for (const w of snapshot.workers) lines.push(`lsky_worker_event_loop_lag_seconds{worker="${w.id}",pid="${w.pid}"} ${w.eventLoopLag / 1000}`);

  renderWebSockets(snapshot.workers, family, lines);

  family("lsky_workers", "gauge", "Workers by state.");
  for (const [state, count] of Object.entries(snapshot.workersByState)) lines.push(`lsky_workers{state="${state}"} ${count}`);

  family("lsky_worker_exits_total", "counter", "Worker exits, by reason.");
  for (const [reason, count] of Object.entries(snapshot.restartsByReason)) lines.push(`lsky_worker_exits_total{reason="${reason}"} ${count}`);

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

  family("lsky_uptime_seconds", "gauge", "Seconds since the supervisor started.");
  lines.push(`lsky_uptime_seconds ${snapshot.uptimeSeconds}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Per worker, as the worker counts them since it started: a replacement
 * worker starts again from zero under its new pid label.
 */
function renderWebSockets(workers: WorkerGauge[], family: (name: string, type: string, help: string) => void, lines: string[]): void {
  const reporting = workers.filter((w) => w.websockets);
  const label = (w: WorkerGauge) => `worker="${w.id}",pid="${w.pid}"`;
  family("lsky_websocket_connections", "gauge", "WebSocket connections open on each worker.");
  for (const w of reporting) lines.push(`lsky_websocket_connections{${label(w)}} ${w.websockets!.open}`);
  family("lsky_websocket_messages_total", "counter", "WebSocket messages received (in) and sent (out) by each worker.");
  for (const w of reporting) {
    lines.push(`lsky_websocket_messages_total{${label(w)},direction="in"} ${w.websockets!.messagesIn}`);
    lines.push(`lsky_websocket_messages_total{${label(w)},direction="out"} ${w.websockets!.messagesOut}`);
  }
  family("lsky_websocket_closes_total", "counter", "WebSocket connections closed on each worker, by close code.");
  for (const w of reporting) {
    for (const [code, count] of Object.entries(w.websockets!.closesByCode)) lines.push(`lsky_websocket_closes_total{${label(w)},code="${code}"} ${count}`);
  }
}
