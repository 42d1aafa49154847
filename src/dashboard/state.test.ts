import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSettings } from "../config/resolve.ts";
import type { WorkerHandle } from "../supervisor/worker-handle.ts";
import { configRows, slotGauges, workerRows } from "./state.ts";

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
