import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEFAULT_RESTART_POLICY, nextFailureCount, restartDelay, type RestartPolicy } from "./restart-policy.ts";

const policy: RestartPolicy = { initialDelay: 100, maxDelay: 1000, stablePeriod: 10_000, maxBootFailures: 5 };

describe("restartDelay", () => {
  test("no failure, no delay", () => {
    assert.equal(restartDelay(policy, 0), 0);
  });

  test("doubles from the initial delay on each consecutive failure", () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => restartDelay(policy, n)), [100, 200, 400, 800]);
  });

  test("never exceeds the maximum", () => {
    assert.equal(restartDelay(policy, 5), 1000);
    assert.equal(restartDelay(policy, 60), 1000);
    assert.equal(restartDelay(policy, 10_000), 1000);
  });

  test("the default policy starts at 100 ms and caps at 10 s", () => {
    assert.equal(restartDelay(DEFAULT_RESTART_POLICY, 1), 100);
    assert.equal(restartDelay(DEFAULT_RESTART_POLICY, 100), 10_000);
  });
});

describe("nextFailureCount", () => {
  test("a worker that died quickly adds to the count", () => {
    assert.equal(nextFailureCount(policy, 0, 0), 1);
    assert.equal(nextFailureCount(policy, 3, 9_999), 4);
  });

  test("a worker that stayed up the stable period starts the count again", () => {
    assert.equal(nextFailureCount(policy, 7, 10_000), 1);
    assert.equal(nextFailureCount(policy, 7, 60_000), 1);
  });
});
