import assert from "node:assert/strict";
import { test } from "node:test";
import { HEAP_TREND_WINDOW, HeapTrend, heapSlope, keepsGrowing, type HeapSample } from "./heap-trend.ts";

const MB = 1024 * 1024;
const series = (heapAt: (i: number) => number, count = HEAP_TREND_WINDOW, every = 1000): HeapSample[] =>
  Array.from({ length: count }, (_, i) => ({ requests: 2000 + i * every, heapBytes: heapAt(i) }));

test("the slope is bytes per request, by least squares", () => {
  assert.equal(heapSlope(series((i) => 10 * MB + i * 1000 * 512)), 512);
  assert.equal(heapSlope([{ requests: 1, heapBytes: 5 }]), 0);
  assert.equal(heapSlope([{ requests: 1, heapBytes: 5 }, { requests: 1, heapBytes: 9 }]), 0);
});

test("a steady leak keeps growing, even with noise on top", () => {
  const noise = [0, 30_000, -20_000, 10_000, -30_000, 20_000, 0, -10_000];
  assert.equal(keepsGrowing(series((i) => 10 * MB + i * 1000 * 200 + noise[i]!)), true);
});

test("a flat heap, a wobbling one and a sawtooth do not", () => {
  assert.equal(keepsGrowing(series(() => 10 * MB)), false);
  assert.equal(keepsGrowing(series((i) => 10 * MB + (i % 2) * 50_000)), false);
  // A cache that fills for three samples and is trimmed: steep, but not growing.
  assert.equal(keepsGrowing(series((i) => 10 * MB + (i % 4) * 400_000)), false);
});

test("growth below the threshold is not reported", () => {
  assert.equal(keepsGrowing(series((i) => 10 * MB + i * 1000 * 4)), false);
  assert.equal(keepsGrowing(series((i) => 10 * MB + i * 1000 * 4), 2), true);
});

test("nothing is said before a full window", () => {
  assert.equal(keepsGrowing(series((i) => i * MB, HEAP_TREND_WINDOW - 1)), false);
});

test("a steady leak warns once per window, and the slope is always reported", () => {
  const trend = new HeapTrend();
  const verdicts = series((i) => 10 * MB + i * 1000 * 300, HEAP_TREND_WINDOW * 3).map((s) => trend.record(s));
  const warnedAt = verdicts.flatMap((v, i) => (v.warn ? [i] : []));
  assert.deepEqual(warnedAt, [HEAP_TREND_WINDOW - 1, 2 * HEAP_TREND_WINDOW - 1, 3 * HEAP_TREND_WINDOW - 1]);
  assert.equal(Math.round(verdicts.at(-1)!.slope), 300);
});
