import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { watchRequestActivity } from "./request-activity.ts";

describe("watchRequestActivity", () => {
  test("bounds the last request by the tick that saw the count move", async () => {
    let clock = 1_000;
    const counters = { requests: 0, inflight: 0 };
    const activity = watchRequestActivity(counters, () => clock, 5);
    try {
      assert.equal(activity.lastRequestBound(), -Infinity, "no request yet");
      counters.requests++;
      clock = 2_000;
      assert.equal(activity.lastRequestBound(), 2_000, "a request the tick has not seen yet: now");
      await new Promise((resolve) => setTimeout(resolve, 30));
      clock = 9_000;
      assert.equal(activity.lastRequestBound(), 2_000, "seen by a tick, then quiet: that tick");
    } finally {
      activity.stop();
    }
  });
});
