import assert from "node:assert/strict";
import { test } from "node:test";
import { readClaimReply } from "./lock-scripts.ts";
import { ownerToken, runLockKey, scheduleKeys } from "./schedule-keys.ts";
import { gridTickAt, nextGridTick } from "./tick-identity.ts";

test("a job's keys start with the prefix and share one hash tag", () => {
  const keys = scheduleKeys("shop-eu", "sweep");
  assert.deepEqual(keys, { mark: "shop-eu:schedule:{sweep}:tick", fence: "shop-eu:schedule:{sweep}:fence", lock: "shop-eu:schedule:{sweep}:lock" });
  assert.notEqual(scheduleKeys("shop-us", "sweep").mark, keys.mark);
});

test("without overlap a job has one run lock; with overlap one per tick", () => {
  const keys = scheduleKeys("lsky", "a");
  assert.equal(runLockKey(keys, 1000, false), "lsky:schedule:{a}:lock");
  assert.equal(runLockKey(keys, 1000, true), "lsky:schedule:{a}:lock:1000");
});

test("an owner token names node and tick, and differs every time", () => {
  assert.equal(ownerToken("edge-1", 400, "r"), "edge-1/400/r");
  assert.notEqual(ownerToken("a", 1), ownerToken("a", 1));
});

test("every ticks sit on the epoch's grid, whatever the reading within the interval", () => {
  assert.equal(nextGridTick(200, 1_000_000), 1_000_200);
  assert.equal(nextGridTick(200, 1_000_199), 1_000_200);
  assert.equal(gridTickAt(200, 1_000_200), 1_000_200);
  // Two nodes waking 3 ms apart around one tick name the same tick.
  assert.equal(gridTickAt(200, 1_000_200 + 1), gridTickAt(200, 1_000_200 + 4));
});

test("the claim script's replies are read; anything else throws", () => {
  assert.deepEqual(readClaimReply(["won", 7]), { outcome: "won", fence: 7 });
  assert.deepEqual(readClaimReply(["taken", "1000"]), { outcome: "taken", latest: 1000 });
  assert.deepEqual(readClaimReply(["busy", "b/800/x"]), { outcome: "busy", owner: "b/800/x" });
  assert.throws(() => readClaimReply("OK"), /unexpected reply/);
});
