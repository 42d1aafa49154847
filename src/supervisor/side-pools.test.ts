import assert from "node:assert/strict";
import { test } from "node:test";
import type { WorkerMessage } from "../bus/protocol.ts";
import type { WorkerPool } from "./pool.ts";
import { SidePools } from "./side-pools.ts";
import type { WorkerHandle } from "./worker-handle.ts";

/** A pool that records the calls it gets, holding the given workers. */
function fakePool(calls: string[], name: string, workers: WorkerHandle[]) {
  const seen: WorkerMessage[] = [];
  const pool = {
    seen,
    findByPid: (pid: number) => workers.find((w) => w.pid === pid),
    workers: () => workers,
    onMessage: (_worker: WorkerHandle, message: WorkerMessage) => void seen.push(message),
    start: async () => void calls.push(`start ${name}`),
    reload: async ({ quick }: { quick: boolean }) => void calls.push(`reload ${name}${quick ? " quick" : ""}`),
    stop: async () => void calls.push(`stop ${name}`),
  };
  return pool as typeof pool & WorkerPool;
}

const worker = (pid: number) => ({ pid }) as WorkerHandle;

test("side pools: found by name and by a worker's pid; a message goes to the pool that owns the worker", () => {
  const calls: string[] = [];
  const [a, b] = [worker(10), worker(20)];
  const pools = new SidePools();
  const task = fakePool(calls, "task", [a]);
  const other = fakePool(calls, "process:x", [b]);
  pools.add("task", task);
  pools.add("process:x", other);
  assert.equal(pools.find("task"), task);
  assert.equal(pools.find("nope"), undefined);
  assert.equal(pools.findByPid(20), b);
  assert.equal(pools.findByPid(30), undefined);
  assert.equal(pools.onMessage(b, { type: "ready", port: 0 }), true);
  assert.deepEqual([task.seen.length, other.seen.length], [0, 1]);
  assert.equal(pools.onMessage(worker(30), { type: "ready", port: 0 }), false, "a worker of no side pool (an HTTP worker)");
  assert.deepEqual(pools.workers(), [a, b]);
});

test("side pools: start, reload (only those that reload by replacing) and stop reach every pool", async () => {
  const calls: string[] = [];
  const pools = new SidePools();
  pools.add("task", fakePool(calls, "task", []));
  pools.add("fixed", fakePool(calls, "fixed", []), "none");
  await pools.start();
  await pools.reload(true);
  await pools.stop();
  assert.deepEqual(calls, ["start task", "start fixed", "reload task quick", "stop task", "stop fixed"]);
});
