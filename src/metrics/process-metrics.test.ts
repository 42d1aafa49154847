import assert from "node:assert/strict";
import { test } from "node:test";
import { readProcessMetrics } from "./process-metrics.ts";

test("reads this process's memory, CPU time, descriptors and start time", () => {
  const first = readProcessMetrics();
  assert.ok(first.residentMemoryBytes > 0);
  assert.ok(first.cpuSecondsTotal > 0);
  if (process.platform === "linux") assert.ok(first.openFds! >= 3);
  assert.ok(Math.abs(first.startTimeSeconds - (Date.now() / 1000 - process.uptime())) <= 2);
  const second = readProcessMetrics();
  assert.ok(second.cpuSecondsTotal >= first.cpuSecondsTotal, "CPU time is a counter");
  assert.equal(second.startTimeSeconds, first.startTimeSeconds);
});
