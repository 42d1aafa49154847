import assert from "node:assert/strict";
import { test } from "node:test";
import { DURATION_BUCKETS } from "../metrics/histogram.ts";
import { histogramQuantile, subtractCounts } from "./percentile.ts";

const counts = (byBucket: Record<number, number>) =>
  Array.from({ length: DURATION_BUCKETS.length + 1 }, (_, i) => byBucket[i] ?? 0);

test("an empty histogram has no latency", () => {
  assert.equal(histogramQuantile(counts({}), 0.99), 0);
});

test("quantiles interpolate inside the bucket that holds the rank", () => {
  // 100 observations in (1 ms, 5 ms]: the median sits half way, 3 ms.
  assert.equal(histogramQuantile(counts({ 1: 100 }), 0.5), 3);
  // 90 fast (<= 1 ms), 10 in (10 ms, 25 ms]: p50 is under 1 ms, p99 in the slow bucket.
  const mixed = counts({ 0: 90, 3: 10 });
  assert.ok(histogramQuantile(mixed, 0.5) <= 1);
  assert.equal(histogramQuantile(mixed, 0.99), 10 + 15 * 0.9);
});

test("observations past the last bound report the last bound", () => {
  assert.equal(histogramQuantile(counts({ [DURATION_BUCKETS.length]: 5 }), 0.5), 10_000);
});

test("subtractCounts gives the observations made between two snapshots", () => {
  assert.deepEqual(subtractCounts([5, 3, 1], [2, 3, 0]), [3, 0, 1]);
  // A counter that went down (never expected) counts as nothing, not negative.
  assert.deepEqual(subtractCounts([1], [2]), [0]);
});
