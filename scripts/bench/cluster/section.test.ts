import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunContext } from "../report.ts";
import type { PublishRun } from "./publish.ts";
import { clusterSection } from "./section.ts";
import { BULLMQ, type ClusterResult, LSKY_DURABLE, SOCKET_IO } from "./suite.ts";
import type { JobsRun } from "./tasks-run.ts";

const context: RunContext = {
  command: "npm run bench -- --only cluster",
  machine: { date: "d", cpus: 2, cpuModel: "cpu", kernel: "k", loadAverage: "0", versions: {} } as unknown as RunContext["machine"],
  notes: [],
};
const publish = (perSecond: number): PublishRun => ({ medianMs: 1, p99Ms: 2, perSecond, cpuUsPerMessage: 30 });
const jobs = (perSecond: number): JobsRun => ({ perSecond, medianMs: 3, p99Ms: 4, cpuUsPerJob: 500, redisUsPerJob: 100 });

function result(durable: boolean): ClusterResult {
  return {
    settings: { rounds: 2, engines: ["node"], quick: false },
    publishSizes: { count: 10, burst: 100 },
    taskSizes: { bulk: 10, single: 5 },
    publish: new Map([["lsky node", [publish(200), publish(300)]], [SOCKET_IO, [publish(100), publish(100)]]]),
    tasks: new Map([[BULLMQ, [{ bulk: jobs(100), single: jobs(50) }]], [LSKY_DURABLE, durable ? [{ bulk: jobs(300), single: jobs(25) }] : []]]),
    durableUnavailable: durable ? undefined : "tasks.dispatch(..., { durable: true }) rejects with TASK_INVALID",
    failures: [],
  };
}

test("clusterSection: lsky's publish rate over Socket.IO's as the median of per-round ratios", () => {
  const text = clusterSection(context, result(false));
  assert.match(text, /\| lsky node \| 1\.00 ms \| 2\.00 ms \| 250\/s \| 2\.50 \| 30 µs \|/);
  assert.match(text, /\| Socket\.IO 4\.8 \+ redis-adapter \(node\) \| .* \| 1 \|/);
});

test("clusterSection: without durable tasks it says why and shows BullMQ's rows only", () => {
  const text = clusterSection(context, result(false));
  assert.match(text, /lsky durable: not available in this build \(.*TASK_INVALID\)/);
  assert.doesNotMatch(text, /\| lsky durable/);
  assert.match(text, /\| BullMQ .* \| all at once \| 100\/s \| 1 \| 3\.00 ms \| 4\.00 ms \| 500 µs \| 100 µs \|/);
});

test("clusterSection: with durable tasks, a row per way of adding and the rate over BullMQ's", () => {
  const text = clusterSection(context, result(true));
  assert.match(text, /\| lsky durable .* \| all at once \| 300\/s \| 3\.00 \|/);
  assert.match(text, /\| lsky durable .* \| one after another \| 25\/s \| 0\.50 \|/);
  assert.doesNotMatch(text, /not available/);
});
