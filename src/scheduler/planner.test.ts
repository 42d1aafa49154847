import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dueWall, firstDue, MAX_COUNTED_MISSES, planTick, sleepFor, tickWall, type Timing, WALL_RECHECK_MS } from "./planner.ts";
import { parseCron } from "./spec.ts";

const at = (mono: number, wall = 1_700_000_000_000 + mono) => ({ mono, wall });
const everySecondOnEven: Timing = { cron: (after) => (Math.floor(after / 2000) + 1) * 2000 };

describe("every", () => {
  const timing: Timing = { every: 100 };

  test("the first tick is one interval after the job became known", () => {
    assert.deepEqual(firstDue(timing, at(5)), { clock: "mono", at: 105 });
  });

  test("does not fire early, and says how long to sleep", () => {
    const due = firstDue(timing, at(0));
    assert.deepEqual(planTick(timing, due, at(99.5)), { fire: false, missed: 0, next: due });
    assert.equal(sleepFor(due, at(40)), 60);
  });

  test("a late timer fires once and keeps the grid", () => {
    const tick = planTick(timing, { clock: "mono", at: 100 }, at(130));
    assert.deepEqual(tick, { fire: true, missed: 0, next: { clock: "mono", at: 200 }, tickAt: 100 });
    assert.equal(tickWall({ clock: "mono", at: 100 }, 100, { mono: 130, wall: 5130 }), 5100);
  });

  test("ticks missed in a pause are counted, not replayed", () => {
    const tick = planTick(timing, { clock: "mono", at: 100 }, at(10_050));
    assert.equal(tick.fire, true);
    assert.equal(tick.missed, 99);
    assert.equal(tick.tickAt, 10_000);
    assert.deepEqual(tick.next, { clock: "mono", at: 10_100 });
  });

  test("a wall-clock step changes nothing", () => {
    const due = firstDue(timing, at(0));
    assert.equal(planTick(timing, due, { mono: 50, wall: 0 }).fire, false);
    assert.equal(planTick(timing, due, { mono: 100, wall: -5_000_000 }).fire, true);
  });

  test("over 5 s of exact wakes, 50 ticks", () => {
    let due = firstDue(timing, at(0));
    let fired = 0;
    for (let t = 0; t <= 5000; t++) {
      const tick = planTick(timing, due, at(t));
      if (tick.fire) fired++;
      due = tick.next;
    }
    assert.equal(fired, 50);
  });
});

describe("cron", () => {
  test("due at the next match; the sleep is capped so a stepped wall clock is seen", () => {
    const due = firstDue(everySecondOnEven, { mono: 0, wall: 10_500 });
    assert.deepEqual(due, { clock: "wall", at: 12_000 });
    assert.equal(sleepFor(due, { mono: 0, wall: 10_500 }), WALL_RECHECK_MS);
    assert.equal(sleepFor(due, { mono: 0, wall: 11_700 }), 300);
    assert.equal(dueWall(due, { mono: 0, wall: 11_000 }), 12_000);
  });

  test("fires at the match and plans the one after it", () => {
    const tick = planTick(everySecondOnEven, { clock: "wall", at: 12_000 }, { mono: 0, wall: 12_003 });
    assert.deepEqual(tick, { fire: true, missed: 0, next: { clock: "wall", at: 14_000 }, tickAt: 12_000 });
  });

  test("a wall clock stepped back waits for the named time", () => {
    const tick = planTick(everySecondOnEven, { clock: "wall", at: 12_000 }, { mono: 5000, wall: 8000 });
    assert.equal(tick.fire, false);
  });

  test("a wall clock stepped forward fires once and counts the rest as missed", () => {
    const tick = planTick(everySecondOnEven, { clock: "wall", at: 12_000 }, { mono: 0, wall: 20_500 });
    assert.deepEqual(tick, { fire: true, missed: 4, next: { clock: "wall", at: 22_000 }, tickAt: 20_000 });
  });

  test("a jump of years stops counting one by one", () => {
    const tick = planTick(everySecondOnEven, { clock: "wall", at: 12_000 }, { mono: 0, wall: 1e12 });
    assert.equal(tick.missed, MAX_COUNTED_MISSES);
    assert.deepEqual(tick.next, { clock: "wall", at: 1e12 + 2000 });
  });

  test("a pattern with no future match is never due", () => {
    const timing: Timing = { cron: () => null };
    const due = firstDue(timing, at(0));
    assert.deepEqual(due, { clock: "never" });
    assert.equal(sleepFor(due, at(0)), null);
    assert.equal(planTick(timing, due, at(1e9)).fire, false);
  });

  test("croner: a 6-field pattern matches whole seconds, strictly after the given time", () => {
    const cron = parseCron("*/2 * * * * *", "UTC");
    const next = cron.nextRun(new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 0)))!.getTime();
    assert.equal(next, Date.UTC(2030, 0, 1, 0, 0, 2, 0));
    const five = parseCron("*/5 * * * *", "UTC");
    assert.equal(five.nextRun(new Date(Date.UTC(2030, 0, 1, 0, 1, 30)))!.getTime(), Date.UTC(2030, 0, 1, 0, 5, 0));
  });
});
