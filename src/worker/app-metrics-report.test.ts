import assert from "node:assert/strict";
import { test } from "node:test";
import { appMetricsReader } from "./app-metrics-report.ts";

const family = (value: number) => [{ name: "a_total", help: "", type: "counter", values: [{ value, labels: {} }] }];

test("an app without a metrics registry has no reader", () => {
  assert.equal(appMetricsReader({ fetch() {} }, () => {}), undefined);
  assert.equal(appMetricsReader({ fetch() {}, metrics: {} }, () => {}), undefined);
});

test("reads the registry; a failing read sends the last good figures and is said once", async () => {
  const lines: string[] = [];
  let next: () => Promise<unknown[]> = async () => family(1);
  const read = appMetricsReader({ fetch() {}, metrics: { getMetricsAsJSON: () => next() } }, (line) => lines.push(line))!;
  assert.deepEqual(await read(), family(1));
  next = () => Promise.reject(new Error("collect broke"));
  assert.deepEqual(await read(), family(1));
  assert.deepEqual(await read(), family(1));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /collect broke/);
  next = async () => family(3);
  assert.deepEqual(await read(), family(3));
});

test("a registry that never answers does not hold the worker", async () => {
  const read = appMetricsReader({ fetch() {}, metrics: { getMetricsAsJSON: () => new Promise(() => {}) } }, () => {})!;
  assert.deepEqual(await read(), []);
});
