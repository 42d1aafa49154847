import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSettings } from "../config/resolve.ts";
import type { WorkerHandle } from "../supervisor/worker-handle.ts";
import type { MetricsSnapshot } from "../metrics/exposition.ts";
import { configRows, facilityState, sidePoolRows, slotGauges, workerRows } from "./state.ts";

const worker = (slot: number, pid: number, state: WorkerHandle["state"], rss = 0) =>
  ({ slot, pid, state, startedAt: 1000, stats: { requests: 7, inflight: 1, rss }, metrics: undefined }) as unknown as WorkerHandle;

test("a slot between a crash and its restart shows as restarting; a draining worker shows beside its replacement", () => {
  const old = worker(1, 100, "draining");
  const pool = {
    slots: [
      { id: 1, worker: worker(1, 101, "ready"), restarts: 0, failures: 0, replacing: false, spawnFailures: 0 },
      { id: 2, restarts: 3, failures: 1, replacing: false, spawnFailures: 0, lastExit: { reason: "crashed" as const, code: null, signal: "SIGKILL", at: 0 } },
    ],
    draining: new Set([old]),
  };
  const rows = workerRows(pool, 3000);
  assert.deepEqual(rows.map((r) => [r.id, r.pid, r.state]), [[1, 101, "ready"], [1, 100, "draining"], [2, 0, "restarting"]]);
  assert.equal(rows[0]!.uptime, 2000);
  assert.deepEqual(rows[2]!.lastExit, { reason: "crashed", code: null, signal: "SIGKILL" });
  assert.equal(rows[2]!.restarts, 3);
});

test("gauges follow slot order, null where no worker runs", () => {
  const pool = { slots: [{ id: 1, worker: worker(1, 5, "ready", 52_428_800), restarts: 0, failures: 0, replacing: false, spawnFailures: 0 }, { id: 2, restarts: 0, failures: 0, replacing: false, spawnFailures: 0 }] };
  assert.deepEqual(slotGauges(pool), { memory: [50, null], lag: [null, null] });
});

test("the configuration shows each source and never the admin token", () => {
  const { settings, sources } = resolveSettings({
    flags: { workers: "2" }, env: { LSKY_ADMIN_TOKEN: "a-secret-token-of-some-length" }, context: { currentEngine: "node" },
  });
  const rows = configRows(settings, sources);
  assert.deepEqual(rows.find((r) => r.key === "workers"), { key: "workers", value: "2", source: "flag", flag: "--workers", env: ["LSKY_WORKERS"] });
  const token = rows.find((r) => r.key === "adminToken")!;
  assert.equal(token.value, "(set)");
  assert.equal(token.source, "env");
  assert.ok(!JSON.stringify(rows).includes("a-secret-token"));
});

test("facilities the server does not use are null; WebSocket counters are summed over the workers", () => {
  const noSockets = { open: 0, opened: 0, messagesIn: 0, messagesOut: 0, refused: 0 };
  const quiet = {
    workers: [{ id: 1, pid: 5, rss: 0, inflight: 0, eventLoopLag: 0, websockets: noSockets }],
    store: { tables: [], cache: { entries: 0, bytes: 0, evictions: 0, expirations: 0, hits: 0, misses: 0 } },
    tasks: { workers: 0, queued: 0, delayed: 0, running: 0, done: 0, failed: 0, retried: 0, lost: 0 },
    schedule: [],
  } as unknown as MetricsSnapshot;
  assert.deepEqual(facilityState(quiet, undefined), { websockets: null, tasks: null, schedule: null, tables: null, cache: null, listeners: null, cluster: null });

  const busy = {
    ...quiet,
    workers: [
      { id: 1, pid: 5, rss: 0, inflight: 0, eventLoopLag: 0, websockets: { open: 2, opened: 5, messagesIn: 10, messagesOut: 4, refused: 0 } },
      { id: 2, pid: 6, rss: 0, inflight: 0, eventLoopLag: 0, websockets: { open: 1, opened: 1, messagesIn: 1, messagesOut: 7, refused: 1 } },
    ],
    store: { tables: [{ name: "stats", rows: 1, size: 4 }], cache: { entries: 0, bytes: 0, evictions: 0, expirations: 0, hits: 0, misses: 3 } },
    tasks: { workers: 2, queued: 0, delayed: 0, running: 0, done: 0, failed: 0, retried: 0, lost: 0 },
  } as unknown as MetricsSnapshot;
  const listeners = [{ protocol: "tcp" as const, host: "127.0.0.1", port: 7000, module: "echo.ts", servedBy: "all workers" as const }];
  const state = facilityState(busy, listeners);
  assert.deepEqual(state.websockets, { open: 3, opened: 6, messagesIn: 11, messagesOut: 11, refused: 1 });
  assert.equal(state.tasks?.workers, 2, "task workers show before any task ran");
  assert.deepEqual(state.tables, [{ name: "stats", rows: 1, size: 4 }]);
  assert.equal(state.cache?.misses, 3, "a cache that was asked shows, even empty");
  assert.deepEqual(state.listeners, listeners);
});

test("each pool beside the HTTP pool keeps its name and gets rows like the workers'", () => {
  const pool = { slots: [{ id: 1, worker: worker(1, 42, "ready"), restarts: 2, failures: 0, replacing: false, spawnFailures: 0 }], draining: new Set<WorkerHandle>() };
  assert.deepEqual(sidePoolRows([{ name: "task", pool }], 3000).map((p) => [p.name, p.workers.map((w) => [w.pid, w.state, w.restarts])]), [["task", [[42, "ready", 2]]]]);
});
