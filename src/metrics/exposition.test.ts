import assert from "node:assert/strict";
import { test } from "node:test";
import { renderPrometheus } from "./exposition.ts";
import { emptyRequestMetrics, recordResponse } from "./request-metrics.ts";

test("renders counters by status class, the histogram and per-worker gauges", () => {
  const requests = emptyRequestMetrics();
  recordResponse(requests, 200, 0.002);
  recordResponse(requests, 204, 0.002);
  recordResponse(requests, 503, 1.5);
  recordResponse(requests, 99, 0.1); // out of range statuses are clamped to a class
  const text = renderPrometheus({
    requests,
    workers: [{ id: 1, pid: 10, rss: 1024, eventLoopLag: 12, inflight: 2 }],
    workersByState: { ready: 1 },
    restartsByReason: { crashed: 2 },
    supervisor: { unresponsiveKills: 1, busySpared: 2, stalls: 3, spawnFailures: 0 },
    uptimeSeconds: 7,
  });
  assert.match(text, /^lsky_requests_total\{class="2xx"\} 2$/m);
  assert.match(text, /^lsky_requests_total\{class="5xx"\} 1$/m);
  assert.match(text, /^lsky_requests_total\{class="1xx"\} 1$/m);
  assert.match(text, /^lsky_request_duration_seconds_count 4$/m);
  assert.match(text, /^lsky_request_duration_seconds_bucket\{le="\+Inf"\} 4$/m);
  assert.match(text, /^lsky_requests_in_flight 2$/m);
  assert.match(text, /^lsky_worker_resident_memory_bytes\{worker="1"\} 1024$/m);
  assert.match(text, /^lsky_worker_event_loop_lag_seconds\{worker="1"\} 0\.012$/m);
  assert.match(text, /^lsky_worker_exits_total\{reason="crashed"\} 2$/m);
  assert.match(text, /^lsky_worker_unresponsive_kills_total 1$/m);
  assert.match(text, /^lsky_supervisor_stalls_total 3$/m);
  assert.match(text, /^lsky_worker_overload_spared_total 2$/m);
  assert.match(text, /^lsky_worker_spawn_failures_total 0$/m);
  assert.match(text, /^lsky_uptime_seconds 7$/m);
  assert.ok(text.endsWith("\n"));
});

test("counts what the supervisor dropped rather than buffer without limit", () => {
  const text = renderPrometheus({
    requests: emptyRequestMetrics(),
    workers: [],
    workersByState: {},
    restartsByReason: {},
    supervisor: { unresponsiveKills: 0, busySpared: 0, stalls: 0, spawnFailures: 0 },
    uptimeSeconds: 1,
    dropped: { logLines: 12, busMessages: 3 },
  });
  assert.match(text, /^lsky_log_lines_dropped_total 12$/m);
  assert.match(text, /^lsky_bus_messages_dropped_total 3$/m);
});

const quiet = {
  requests: emptyRequestMetrics(),
  workersByState: {},
  restartsByReason: {},
  supervisor: { unresponsiveKills: 0, busySpared: 0, stalls: 0, spawnFailures: 0 },
  uptimeSeconds: 1,
};

test("per-worker series carry the slot, never the pid, so a restart starts no new series", () => {
  const before = renderPrometheus({ ...quiet, workers: [{ id: 1, pid: 10, rss: 100, eventLoopLag: 5, inflight: 0 }] });
  const after = renderPrometheus({ ...quiet, workers: [{ id: 1, pid: 11, rss: 100, eventLoopLag: 5, inflight: 0 }] });
  assert.doesNotMatch(before, /pid=/);
  assert.equal(before, after);
});

test("during a reload the two processes of a slot make one sample: memory added, worst lag", () => {
  const text = renderPrometheus({
    ...quiet,
    workers: [
      { id: 2, pid: 20, rss: 100, eventLoopLag: 30, inflight: 0 },
      { id: 1, pid: 10, rss: 50, eventLoopLag: 1, inflight: 0 },
      { id: 2, pid: 21, rss: 200, eventLoopLag: 4, inflight: 0 },
    ],
  });
  assert.deepEqual(text.match(/^lsky_worker_resident_memory_bytes\{.*$/gm), [
    'lsky_worker_resident_memory_bytes{worker="1"} 50',
    'lsky_worker_resident_memory_bytes{worker="2"} 300',
  ]);
  assert.match(text, /^lsky_worker_event_loop_lag_seconds\{worker="2"\} 0\.03$/m);
});

test("renders the standard process metrics of the supervisor", () => {
  const text = renderPrometheus({
    ...quiet,
    workers: [],
    process: { residentMemoryBytes: 4096, cpuSecondsTotal: 1.25, openFds: 17, startTimeSeconds: 1700000000 },
  });
  assert.match(text, /^# TYPE process_cpu_seconds_total counter$/m);
  assert.match(text, /^process_cpu_seconds_total 1\.25$/m);
  assert.match(text, /^process_resident_memory_bytes 4096$/m);
  assert.match(text, /^process_open_fds 17$/m);
  assert.match(text, /^process_start_time_seconds 1700000000$/m);
});

test("renders each worker's WebSocket connections, messages by direction and closes by code", () => {
  const websockets = { open: 4, opened: 7, messagesIn: 20, messagesOut: 31, overflows: 0, refused: 0, closesByCode: { 1000: 2, 1012: 1 } };
  const text = renderPrometheus({
    requests: emptyRequestMetrics(),
    workers: [
      { id: 1, pid: 10, rss: 0, eventLoopLag: 0, inflight: 0, websockets },
      { id: 2, pid: 11, rss: 0, eventLoopLag: 0, inflight: 0 },
    ],
    workersByState: { ready: 2 },
    restartsByReason: {},
    supervisor: { unresponsiveKills: 0, busySpared: 0, stalls: 0, spawnFailures: 0 },
    uptimeSeconds: 1,
  });
  assert.match(text, /^# TYPE lsky_websocket_connections gauge$/m);
  assert.match(text, /^lsky_websocket_connections\{worker="1"\} 4$/m);
  assert.match(text, /^# TYPE lsky_websocket_messages_total counter$/m);
  assert.match(text, /^lsky_websocket_messages_total\{worker="1",direction="in"\} 20$/m);
  assert.match(text, /^lsky_websocket_messages_total\{worker="1",direction="out"\} 31$/m);
  assert.match(text, /^# TYPE lsky_websocket_closes_total counter$/m);
  assert.match(text, /^lsky_websocket_closes_total\{worker="1",code="1000"\} 2$/m);
  assert.match(text, /^lsky_websocket_closes_total\{worker="1",code="1012"\} 1$/m);
  // A worker that has not reported yet has no samples rather than zeros.
  assert.doesNotMatch(text, /^lsky_websocket_\w+\{worker="2"/m);
});

test("--leak-check's slope: one sample per slot, the newest process's; no family when no worker has one", () => {
  const text = renderPrometheus({
    ...quiet,
    workers: [
      { id: 1, pid: 10, rss: 1, eventLoopLag: 0, inflight: 0, heapSlope: 812.345 },
      { id: 1, pid: 11, rss: 1, eventLoopLag: 0, inflight: 0, heapSlope: 3.5 },
      { id: 2, pid: 20, rss: 1, eventLoopLag: 0, inflight: 0 },
    ],
  });
  assert.deepEqual(text.match(/^lsky_worker_heap_growth_bytes_per_request.*$/gm), ['lsky_worker_heap_growth_bytes_per_request{worker="1"} 3.5']);
  assert.doesNotMatch(renderPrometheus({ ...quiet, workers: [{ id: 1, pid: 10, rss: 1, eventLoopLag: 0, inflight: 0 }] }), /heap_growth/);
});
