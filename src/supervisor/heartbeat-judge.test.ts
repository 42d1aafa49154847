import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedSilence, judgeSilence, RecentLag } from "./heartbeat-judge.ts";
import { readKernelProgress } from "./process-io.ts";

const at = (syscalls: number, kernelTicks: number) => ({ syscalls, kernelTicks });
const base = { timeout: 10_000, recentLag: 0, progressNow: at(100, 50), progressBefore: undefined };

test("a worker that reported no lag gets the timeout", () => {
  assert.equal(allowedSilence(10_000, 0), 10_000);
  assert.equal(judgeSilence({ ...base, silence: 9_999 }), "alive");
  assert.equal(judgeSilence({ ...base, silence: 10_000 }), "watch");
});

test("a worker that reported lag gets that much more, at most twice the timeout", () => {
  assert.equal(allowedSilence(10_000, 3_000), 13_000);
  assert.equal(judgeSilence({ ...base, silence: 12_000, recentLag: 3_000 }), "alive");
  assert.equal(judgeSilence({ ...base, silence: 13_500, recentLag: 3_000 }), "watch");
  assert.equal(allowedSilence(10_000, 60_000), 20_000);
  assert.equal(allowedSilence(5_000, -20), 5_000);
});

test("a silent worker still entering the kernel is busy; one that did not is unresponsive", () => {
  assert.equal(judgeSilence({ ...base, silence: 11_000, progressBefore: at(90, 50) }), "busy", "read/write calls");
  assert.equal(judgeSilence({ ...base, silence: 11_000, progressBefore: at(100, 40) }), "busy", "kernel time (sockets)");
  assert.equal(judgeSilence({ ...base, silence: 11_000, progressBefore: at(100, 49) }), "unresponsive", "one tick is noise");
  assert.equal(judgeSilence({ ...base, silence: 11_000, progressBefore: at(100, 50) }), "unresponsive");
});

test("past three timeouts, or when its system calls cannot be read, a silent worker is unresponsive", () => {
  assert.equal(judgeSilence({ ...base, silence: 30_000, progressBefore: at(10, 0) }), "unresponsive");
  assert.equal(judgeSilence({ ...base, silence: 11_000, progressNow: undefined }), "unresponsive");
});

test("the recent lag is the worst of the last few heartbeats", () => {
  const recent = new RecentLag(3);
  assert.equal(recent.worst(), 0);
  recent.record(1500);
  recent.record(2);
  recent.record(3);
  assert.equal(recent.worst(), 1500);
  recent.record(4);
  assert.equal(recent.worst(), 4);
});

test("the kernel progress of this process can be read on Linux", () => {
  if (process.platform !== "linux") return;
  const progress = readKernelProgress(process.pid);
  assert.ok(progress && progress.syscalls > 0 && progress.kernelTicks >= 0);
});
