import assert from "node:assert/strict";
import { test } from "node:test";
import type { MetricFamilyJSON } from "../metrics/app-metrics.ts";
import { AppMetricsCollector } from "./app-metrics-collector.ts";
import type { WorkerHandle } from "./worker-handle.ts";

function counter(value: number): MetricFamilyJSON[] {
  return [
    { name: "jobs_total", help: "Jobs.", type: "counter", aggregator: "sum", values: [{ value, labels: {} }] },
    { name: "queue", help: "Queue.", type: "gauge", aggregator: "sum", values: [{ value, labels: {} }] },
  ];
}

/** A worker that answers a request for app metrics with `answer` (or never, when undefined). */
function fakeWorker(answer: number | undefined, last?: number) {
  let wake = () => {};
  const worker = {
    hasAppMetrics: true,
    state: "ready",
    appMetrics: last === undefined ? undefined : counter(last),
    asked: 0,
    nextAppMetrics: () => new Promise<void>((resolve) => (wake = resolve)),
    send() {
      worker.asked++;
      if (answer !== undefined) setImmediate(() => ((worker.appMetrics = counter(answer)), wake()));
      return true;
    },
  };
  return worker;
}

const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

test("asks every worker, adds up their answers, and keeps an exited worker's counters but not its gauges", async () => {
  const collector = new AppMetricsCollector();
  const one = fakeWorker(2);
  const two = fakeWorker(5);
  let workers = [one, two] as unknown as WorkerHandle[];
  const text = collector.render(await collector.collect(() => workers), "");
  assert.equal(one.asked + two.asked, 2);
  assert.equal(value(text, "jobs_total"), 7);
  assert.equal(value(text, "queue"), 7);

  collector.onWorkerExit(two as unknown as WorkerHandle);
  workers = [one as unknown as WorkerHandle];
  const after = collector.render(await collector.collect(() => workers), "");
  assert.equal(value(after, "jobs_total"), 7, "the exited worker's count stays");
  assert.equal(value(after, "queue"), 2, "its gauge goes");
});

test("a worker that does not answer in time counts with its last answer", async () => {
  const collector = new AppMetricsCollector();
  const workers = [fakeWorker(1), fakeWorker(undefined, 4)] as unknown as WorkerHandle[];
  const text = collector.render(await collector.collect(() => workers), "");
  assert.equal(value(text, "jobs_total"), 5);
});

test("no worker with app metrics: nothing is asked and nothing is added", async () => {
  const collector = new AppMetricsCollector();
  const worker = { ...fakeWorker(1), hasAppMetrics: false };
  assert.deepEqual(await collector.collect(() => [worker as unknown as WorkerHandle]), []);
  assert.equal(worker.asked, 0);
});

test("a family lsky declares itself is left out, and said once", () => {
  const lines: string[] = [];
  const collector = new AppMetricsCollector({ warn: (line) => lines.push(line) });
  const own = "# TYPE queue gauge\nqueue 1\n";
  assert.doesNotMatch(collector.render(counter(1), own), /^queue /m);
  collector.render(counter(1), own);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /"queue" is left out/);
});
