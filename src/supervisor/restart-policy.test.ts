import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_RESTART_POLICY as policy, nextFailureCount, restartDelay, shouldGiveUp } from "./restart-policy.ts";

test("the restart delay doubles per consecutive failure up to the ceiling", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => restartDelay(policy, n)), [100, 200, 400, 800]);
  assert.equal(restartDelay(policy, 30), policy.maxDelay);
  assert.equal(restartDelay(policy, 0), 0);
});

test("a worker that lived through the stable period resets the failure count", () => {
  assert.equal(nextFailureCount(policy, 3, policy.stablePeriod - 1), 4);
  assert.equal(nextFailureCount(policy, 3, policy.stablePeriod), 1);
});

test("the supervisor gives up after maxFailures consecutive failures", () => {
  assert.equal(shouldGiveUp(policy, policy.maxFailures - 1), false);
  assert.equal(shouldGiveUp(policy, policy.maxFailures), true);
});
