import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, test } from "node:test";
import { ConnectionActivity } from "./connection-activity.ts";

class FakeConnection extends EventEmitter {
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
    this.emit("close");
  }
}

describe("ConnectionActivity", () => {
  test("closes only connections idle past the margin, never one with a request running", () => {
    let now = 0;
    const activity = new ConnectionActivity(() => now);
    const [idle, busy, recent] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (const c of [idle, busy, recent]) activity.opened(c);
    activity.requestStarted(busy);
    now = 4_000;
    activity.requestStarted(recent);
    activity.requestEnded(recent);
    now = 5_000;
    assert.equal(activity.closeIdle(5_000), 1);
    assert.deepEqual([idle.destroyed, busy.destroyed, recent.destroyed], [true, false, false]);
    now = 9_000;
    assert.equal(activity.closeIdle(5_000), 1, "recent reached the margin 5 s after its last response");
    assert.equal(busy.destroyed, false);
    activity.requestEnded(busy);
    now = 13_999;
    assert.equal(activity.closeIdle(5_000), 0);
    now = 14_000;
    assert.equal(activity.closeIdle(5_000), 1);
    assert.equal(activity.size, 0);
  });

  test("forgets a connection the client closed", () => {
    const activity = new ConnectionActivity(() => 0);
    const connection = new FakeConnection();
    activity.opened(connection);
    connection.emit("close");
    assert.equal(activity.size, 0);
    activity.requestEnded(connection);
    assert.equal(activity.closeIdle(0), 0);
  });
});
