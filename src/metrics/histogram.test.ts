import assert from "node:assert/strict";
import { test } from "node:test";
import { cumulative, DURATION_BUCKETS, emptyHistogram, mergeHistograms, observe } from "./histogram.ts";

test("observe puts a value in the first bucket whose bound it does not exceed", () => {
  const h = emptyHistogram();
  observe(h, 0.001); // exactly on the first bound
  observe(h, 0.003);
  observe(h, 99); // beyond every bound: +Inf only
  assert.equal(h.counts[0], 1);
  assert.equal(h.counts[1], 1);
  assert.equal(h.counts[DURATION_BUCKETS.length], 1);
  assert.equal(h.count, 3);
  assert.ok(Math.abs(h.sum - 99.004) < 1e-9);
});

test("cumulative counts end with the total", () => {
  const h = emptyHistogram();
  for (const v of [0.002, 0.002, 0.3, 20]) observe(h, v);
  const c = cumulative(h);
  assert.equal(c.length, DURATION_BUCKETS.length + 1);
  assert.equal(c[0], 0);
  assert.equal(c[1], 2);
  assert.equal(c.at(-1), 4);
  for (let i = 1; i < c.length; i++) assert.ok(c[i]! >= c[i - 1]!);
});

test("merge adds counts, sums and totals", () => {
  const a = emptyHistogram();
  const b = emptyHistogram();
  observe(a, 0.01);
  observe(b, 0.01);
  observe(b, 3);
  mergeHistograms(a, b);
  assert.equal(a.count, 3);
  assert.equal(cumulative(a).at(-1), 3);
});
