import assert from "node:assert/strict";
import { test } from "node:test";
import { DURATION_BUCKETS } from "../metrics/histogram.ts";
import { History, type Totals } from "./history.ts";

const gauges = { memory: [10], lag: [1] };
const zeros = () => new Array(DURATION_BUCKETS.length + 1).fill(0) as number[];

function totals(at: number, twoHundreds: number): Totals {
  const duration = zeros();
  duration[0] = twoHundreds;
  return { at, statusClasses: [0, 0, twoHundreds, 0, 0, 0], duration };
}

test("the rate is taken over the window, so a late heartbeat does not make it jump to 0", () => {
  const history = new History(300, 2);
  history.add(totals(0, 0), gauges);
  history.add(totals(1000, 10), gauges);
  // No heartbeat arrived in this tick: the 2-tick window still sees 10 requests in 2 s.
  const quiet = history.add(totals(2000, 10), gauges);
  assert.equal(quiet.rps, 5);
  assert.deepEqual(quiet.classes, [0, 5, 0, 0, 0]);
  assert.ok(quiet.p99 > 0 && quiet.p99 <= 1);
});

test("the first sample has no rate and the history keeps only its capacity", () => {
  const history = new History(3, 2);
  assert.equal(history.add(totals(0, 50), gauges).rps, 0);
  for (let i = 1; i <= 5; i++) history.add(totals(i * 1000, 50 + i), gauges);
  assert.equal(history.samples.length, 3);
  assert.deepEqual(history.samples.map((s) => s.t), [3, 4, 5]);
});
