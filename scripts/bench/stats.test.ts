import assert from "node:assert/strict";
import { test } from "node:test";
import { defined, median, medianRatio, percentile } from "./stats.ts";

test("median of odd and even counts, NaN for none", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test("median leaves its input unsorted", () => {
  const values = [3, 1, 2];
  median(values);
  assert.deepEqual(values, [3, 1, 2]);
});

test("medianRatio pairs rounds and skips missing ones", () => {
  assert.equal(medianRatio([90, 100, 50], [100, 100, 100]), 0.9);
  assert.equal(medianRatio([90, undefined], [100, 100]), 0.9);
  assert.equal(medianRatio([90, 80], [100]), 0.9, "a round only one side has is skipped");
  assert.ok(Number.isNaN(medianRatio([90], [0])), "a zero baseline gives no ratio");
});

test("percentile is nearest-rank: a measured value, never past the last", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 51);
  assert.equal(percentile(sorted, 0.99), 100);
  assert.equal(percentile(sorted, 1), 100);
  assert.equal(percentile([7], 0.99), 7);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test("defined drops the holes failed rounds leave", () => {
  const series: (number | undefined)[] = [];
  series[0] = 1;
  series[2] = 3;
  assert.deepEqual(defined(series), [1, 3]);
  assert.deepEqual(defined([undefined, 2]), [2]);
});
