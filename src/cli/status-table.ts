import type { StatusReport, WorkerRow } from "../supervisor/status.ts";
import { tasksInUse } from "../tasks/metrics.ts";

/** Renders `lsky status` as text: the supervisor's facts, then one row per worker. */
export function formatStatus(report: StatusReport): string {
  const head = [
    `supervisor pid ${report.pid}  lsky ${report.version}  ${report.engine} ${report.engineVersion}` +
      (report.supervisor ? `  memory ${formatBytes(report.supervisor.rss)}` : ""),
    `listening ${report.port ? `${report.host}:${report.port}` : report.host}  app ${report.app}  up ${formatDuration(report.uptime)}`,
    ...formatCluster(report.cluster),
    "",
  ];
  const columns = ["ID", "PID", "STATE", "UPTIME", "REQUESTS", "INFLIGHT", "MEMORY", "RESTARTS", "LAST EXIT", "WEBSOCKETS"];
  const rows = report.workers.map((w) => [
    String(w.id), String(w.pid), w.state, formatDuration(w.uptime), String(w.requests), String(w.inflight),
    formatBytes(w.rss), String(w.restarts), formatExit(w.lastExit), formatSockets(w.websockets),
  ]);
  return [...head, ...alignColumns([columns, ...rows]), ...formatPools(report.pools), ...formatSchedule(report.schedule), ...formatTasks(report.tasks)]
    .join("\n") + "\n";
}

/** This node of a cluster: one line; nothing for a server that stands alone. */
function formatCluster(cluster: StatusReport["cluster"]): string[] {
  if (!cluster) return [];
  const why = cluster.state !== "up" && cluster.lastError ? ` (${oneLine(cluster.lastError, 60)})` : "";
  return [
    `cluster node ${cluster.node}  redis ${cluster.state}${why} at ${cluster.redis}  messages in ${cluster.messagesIn} out ${cluster.messagesOut}` +
      `  dropped ${cluster.dropped}  link drops ${cluster.linkDrops}`,
  ];
}

/** The pools beside the HTTP workers (custom processes, task workers), one row per process, after a blank line. */
function formatPools(pools: StatusReport["pools"]): string[] {
  if (!pools?.length) return [];
  const columns = ["POOL", "ID", "PID", "STATE", "UPTIME", "MEMORY", "RESTARTS", "LAST EXIT"];
  const rows = pools.flatMap((pool) => pool.workers.map((w) => [
    pool.name, String(w.id), w.pid > 0 ? String(w.pid) : "-", w.state, w.pid > 0 ? formatDuration(w.uptime) : "-",
    formatBytes(w.rss), String(w.restarts), formatExit(w.lastExit),
  ]));
  return ["", ...alignColumns([columns, ...rows])];
}

/** The task queue's counters; nothing for a server with no task workers, no tasks seen and no cluster. */
function formatTasks(tasks: StatusReport["tasks"]): string[] {
  if (!tasksInUse(tasks)) return [];
  const { workers, queued, delayed, running, done, failed, retried, lost } = tasks;
  const columns = ["TASKS", "WORKERS", "QUEUED", "DELAYED", "RUNNING", "DONE", "FAILED", "RETRIED", "LOST"];
  const rows = [columns, ["", ...[workers, queued, delayed, running, done, failed, retried, lost].map(String)]];
  return ["", ...alignColumns(rows), ...formatDurable(tasks.durable)];
}

/** On a cluster: this node's durable task counters and the cluster's queue as last seen. */
function formatDurable(d: NonNullable<StatusReport["tasks"]>["durable"]): string[] {
  if (!d) return [];
  const columns = ["DURABLE", "DISPATCHED", "CLAIMED", "RUNNING", "DONE", "FAILED", "RETRIED", "RETURNED", "GIVEN BACK", "READY", "ACTIVE", "DELAYED"];
  const values = [d.dispatched, d.claimed, d.running, d.done, d.failed, d.retried, d.returned, d.givenBack, d.ready, d.active, d.delayed];
  return ["", ...alignColumns([columns, ["", ...values.map(String)]])];
}

/** The scheduled jobs, after a blank line; nothing when the app has none. */
function formatSchedule(jobs: StatusReport["schedule"]): string[] {
  if (!jobs?.length) return [];
  const columns = ["JOB", "TIMING", "NEXT RUN", "LAST RUN", "LAST TOOK", "LAST RESULT", "RUNS", "FAILURES", "SKIPS", "MISSED"];
  // On a cluster: ticks other nodes ran, and ticks not run for want of the lock.
  const clustered = jobs.some((job) => job.cluster);
  if (clustered) columns.push("ELSEWHERE", "LOCK ERRORS");
  const rows = jobs.map((job) => [
    job.name, job.timing, formatTime(job.nextRun), formatTime(job.lastRun),
    job.lastDurationMs === null ? "-" : `${job.lastDurationMs} ms`,
    job.running > 0 ? "running" : job.lastResult === "failed" ? `failed: ${oneLine(job.lastError ?? "", 60)}` : (job.lastResult ?? "-"),
    String(job.runs), String(job.failures), String(job.skips), String(job.missed),
    ...(clustered ? [String(job.cluster?.elsewhere ?? 0), String(job.cluster?.lockErrors ?? 0)] : []),
  ]);
  return ["", ...alignColumns([columns, ...rows])];
}

/** HH:MM:SS.mmm in local time: a scheduler's times are close to now. */
function formatTime(iso: string | null): string {
  if (!iso) return "-";
  const date = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function oneLine(text: string, max: number): string {
  const line = text.split("\n")[0]!;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Renders every server this user runs, one row each, as `pm2 ls` does. */
export function formatServerList(reports: readonly StatusReport[]): string {
  const columns = ["PID", "PORT", "DIRECTORY", "APP", "ENGINE", "WORKERS", "UPTIME", "VERSION"];
  const rows = reports.map((r) => [
    String(r.pid), r.port ? String(r.port) : r.host, r.cwd ?? "?", r.app, `${r.engine} ${r.engineVersion}`,
    String(r.workers.length), formatDuration(r.uptime), r.version,
  ]);
  return [...alignColumns([columns, ...rows]), "", 'No server was started in this directory; reach one with --port N or --pid PID.'].join("\n") + "\n";
}

function alignColumns(table: string[][]): string[] {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, "0")}h`;
}

export function formatBytes(bytes: number): string {
  if (bytes <= 0) return "-";
  const mb = bytes / 1_048_576;
  return mb >= 100 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

function formatExit(exit: WorkerRow["lastExit"]): string {
  if (!exit) return "-";
  const how = exit.signal ? exit.signal : exit.code === null ? "" : `code ${exit.code}`;
  return how ? `${exit.reason} (${how})` : exit.reason;
}

/** `3 open, 10 in, 12 out, closed 1000:2 1012:1`: one cell, so the table keeps one row per worker. */
function formatSockets(sockets: WorkerRow["websockets"]): string {
  if (!sockets) return "-";
  const closes = Object.entries(sockets.closesByCode).map(([code, count]) => `${code}:${count}`).join(" ");
  return `${sockets.open} open, ${sockets.messagesIn} in, ${sockets.messagesOut} out` + (closes ? `, closed ${closes}` : "");
}
