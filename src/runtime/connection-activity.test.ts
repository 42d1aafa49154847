import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, test } from "node:test";
import { ConnectionActivity } from "./connection-activity.ts";

class FakeConnection extends EventEmitter {
  bytesRead = 0;
  answering = false;
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
    this.emit("close");
  }
}

function tracker(clock: { now: number }): ConnectionActivity {
  return new ConnectionActivity((connection) => (connection as FakeConnection).answering, () => clock.now);
}

describe("ConnectionActivity", () => {
  test("closes only connections idle past the margin, never one with a response under way", () => {
    const clock = { now: 0 };
    const activity = tracker(clock);
    const [idle, busy, recent] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    for (const c of [idle, busy, recent]) activity.opened(c);
    busy.bytesRead = 40;
    busy.answering = true;
    clock.now = 4_000;
    // A whole request and its response between two looks: only the bytes show it.
    recent.bytesRead = 40;
    activity.look();
    clock.now = 5_000;
    assert.equal(activity.closeIdle(5_000), 1);
    assert.deepEqual([idle.destroyed, busy.destroyed, recent.destroyed], [true, false, false]);
    clock.now = 8_999;
    assert.equal(activity.closeIdle(5_000), 0, "recent was seen active at 4 s");
    clock.now = 9_000;
    assert.equal(activity.closeIdle(5_000), 1);
    assert.equal(recent.destroyed, true);
    assert.equal(busy.destroyed, false, "a response under way is never cut, however long");
    busy.answering = false;
    clock.now = 10_000;
    activity.look();
    // Its response ended after the look at 9 s: idle counts from 10 s, the first look to find it idle.
    clock.now = 14_999;
    assert.equal(activity.closeIdle(5_000), 0);
    clock.now = 15_000;
    assert.equal(activity.closeIdle(5_000), 1);
    assert.equal(activity.size, 0);
  });

  test("never overstates idle time when nobody looked for a while", () => {
    const clock = { now: 0 };
    const activity = tracker(clock);
    const connection = new FakeConnection();
    activity.opened(connection);
    clock.now = 60_000;
    // A request at some unknown moment since the connection opened.
    connection.bytesRead = 80;
    assert.equal(activity.closeIdle(5_000), 0, "the activity may have been a moment ago");
    clock.now = 65_000;
    assert.equal(activity.closeIdle(5_000), 1);
  });

  test("leaves a forgotten (upgraded) connection alone and forgets one the client closed", () => {
    const clock = { now: 0 };
    const activity = tracker(clock);
    const [upgraded, gone] = [new FakeConnection(), new FakeConnection()];
    activity.opened(upgraded);
    activity.opened(gone);
    activity.forget(upgraded);
    gone.emit("close");
    assert.equal(activity.size, 0);
    clock.now = 10_000;
    assert.equal(activity.closeIdle(0), 0);
    assert.equal(upgraded.destroyed, false);
  });
});
