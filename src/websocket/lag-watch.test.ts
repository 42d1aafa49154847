import assert from "node:assert/strict";
import { test } from "node:test";
import { LagWatch } from "./lag-watch.ts";

function socket(buffered: number) {
  const s = { buffered, engine: { bufferedAmount: () => s.buffered } };
  return s;
}

test("a subscriber seen past the threshold after a publish is told apart at its close; one that caught up is not", () => {
  const slow = socket(0);
  const fast = socket(0);
  const turns: (() => void)[] = [];
  const watch = new LagWatch(1000, (topic) => (topic === "t" ? [slow, fast] : undefined), (run) => turns.push(run));
  watch.published("t", 400);
  assert.equal(turns.length, 0, "under half the threshold: no look yet");
  slow.buffered = 5000;
  watch.published("t", 400);
  watch.published("t", 400);
  assert.equal(turns.length, 1, "one look per turn");
  turns.shift()!();
  fast.buffered = 5000;
  watch.published("t", 600);
  slow.buffered = 0;
  turns.shift()!();
  assert.equal(watch.closed(slow), false, "caught up before its close");
  assert.equal(watch.closed(fast), true);
  assert.equal(watch.closed(fast), false, "forgotten once closed");
});

test("only the subscribers of topics published since the last look are looked at", () => {
  const other = socket(5000);
  const turns: (() => void)[] = [];
  let asked: string[] = [];
  const watch = new LagWatch(10, (topic) => (asked.push(topic), topic === "b" ? [other] : []), (run) => turns.push(run));
  watch.published("a", 100);
  turns.shift()!();
  assert.deepEqual(asked, ["a"]);
  assert.equal(watch.closed(other), false);
  asked = [];
  watch.published("b", 100);
  turns.shift()!();
  assert.deepEqual(asked, ["b"]);
  assert.equal(watch.closed(other), true);
});
