import assert from "node:assert/strict";
import { test } from "node:test";
import { RunningClock } from "./clock.ts";

function fakeRaw(start = 1000) {
  let raw = start;
  return { read: () => raw, advance: (ms: number) => void (raw += ms) };
}

test("the running clock follows the monotonic one while readings come every tick", () => {
  const raw = fakeRaw();
  const clock = new RunningClock(raw.read, 250);
  const t0 = clock.now();
  for (let i = 0; i < 8; i++) {
    raw.advance(250);
    clock.now();
  }
  raw.advance(400); // a late tick, within twice the tick: still running time
  assert.equal(clock.now() - t0, 2400);
  assert.equal(clock.stalls, 0);
});

test("a gap longer than two ticks is left out, less one tick", () => {
  const raw = fakeRaw();
  const gaps: number[] = [];
  const clock = new RunningClock(raw.read, 250, (gap) => gaps.push(gap));
  const t0 = clock.now();
  raw.advance(30_000); // SIGSTOP for 30 s
  assert.equal(clock.now() - t0, 250);
  raw.advance(250);
  assert.equal(clock.now() - t0, 500);
  assert.deepEqual(gaps, [30_000]);
  assert.equal(clock.stalls, 1);
});
