import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedSilence, overdueSilence, RecentLag } from "./heartbeat-judge.ts";

test("a worker that reported no lag gets the timeout", () => {
  assert.equal(allowedSilence(10_000, 0), 10_000);
  assert.equal(overdueSilence({ lastSeen: 0, recentLag: 0 }, 9_999, 10_000), 0);
  assert.equal(overdueSilence({ lastSeen: 0, recentLag: 0 }, 10_000, 10_000), 10_000);
});

test("a worker that reported lag gets that much more, at most twice the timeout", () => {
  assert.equal(allowedSilence(10_000, 3_000), 13_000);
  assert.equal(overdueSilence({ lastSeen: 0, recentLag: 3_000 }, 12_000, 10_000), 0);
  assert.equal(overdueSilence({ lastSeen: 0, recentLag: 3_000 }, 13_500, 10_000), 13_500);
  assert.equal(allowedSilence(10_000, 60_000), 20_000);
});

test("a negative reported lag is treated as none", () => {
  assert.equal(allowedSilence(5_000, -20), 5_000);
});

test("the recent lag is the worst of the last few heartbeats", () => {
  const recent = new RecentLag(3);
  assert.equal(recent.worst(), 0);
  recent.record(1500);
  recent.record(2);
  recent.record(3);
  assert.equal(recent.worst(), 1500);
  recent.record(4);
  assert.equal(recent.worst(), 4);
});
