import assert from "node:assert/strict";
import { test } from "node:test";
import { MetricsAggregator } from "./metrics-aggregator.ts";
import type { WorkerHandle } from "./worker-handle.ts";

test("worker exits and reloads go on the timeline in order; a reader asks for what it has not seen", () => {
  const metrics = new MetricsAggregator();
  const worker = { slot: 2, pid: 4321 } as WorkerHandle;
  metrics.onWorkerExit(worker, { reason: "crashed", code: null, signal: "SIGKILL", at: 1000 });
  metrics.recordEvent("reload", "reload", 2000);
  const all = metrics.eventsAfter(0);
  assert.deepEqual(all.map((e) => [e.seq, e.kind, e.reason, e.text]), [
    [1, "exit", "crashed", "worker 2 (pid 4321) crashed, SIGKILL"],
    [2, "reload", undefined, "reload"],
  ]);
  assert.deepEqual(metrics.eventsAfter(1).map((e) => e.seq), [2]);
  assert.deepEqual(metrics.eventsAfter(2), []);
});

test("the timeline keeps only the latest events", () => {
  const metrics = new MetricsAggregator();
  for (let i = 0; i < 250; i++) metrics.recordEvent("reload", `reload ${i}`, i);
  const kept = metrics.eventsAfter(0);
  assert.equal(kept.length, 200);
  assert.equal(kept[kept.length - 1]!.text, "reload 249");
});
