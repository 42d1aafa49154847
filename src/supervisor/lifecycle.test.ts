import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import {
  type Cause, canTransition, FAILURE_CAUSES, isFailure, isPlanned, Lifecycle, type LifecycleState, PLANNED_CAUSES,
} from "./lifecycle.ts";

const STATES: LifecycleState[] = ["starting", "ready", "draining", "killing", "exited"];
const CAUSES: Cause[] = ["booted", ...PLANNED_CAUSES, ...FAILURE_CAUSES];

/** The table, written out again by hand: a change to lifecycle.ts must change this too. */
const EXPECTED = new Set([
  "starting>ready:booted",
  ...PLANNED_CAUSES.map((c) => `starting>draining:${c}`),
  "starting>killing:boot-failed",
  "starting>exited:boot-failed",
  ...PLANNED_CAUSES.map((c) => `ready>draining:${c}`),
  "ready>killing:unresponsive",
  "ready>exited:crashed",
  ...PLANNED_CAUSES.map((c) => `draining>exited:${c}`),
  "killing>exited:boot-failed",
  "killing>exited:unresponsive",
]);

describe("lifecycle", () => {
  test("allows exactly the transitions of the table, and throws LIFECYCLE_TRANSITION on any other", () => {
    for (const from of STATES) {
      for (const to of STATES) {
        for (const cause of CAUSES) {
          const key = `${from}>${to}:${cause}`;
          assert.equal(canTransition(from, to, cause), EXPECTED.has(key), key);
        }
      }
    }
    const life = new Lifecycle("worker 1");
    assert.throws(() => life.transition("draining", "crashed"), (e: unknown) => e instanceof LskyError && e.code === "LIFECYCLE_TRANSITION");
    assert.equal(life.state, "starting", "a refused transition changes nothing");
  });

  test("planned causes and failures split every exit reason in two", () => {
    for (const cause of PLANNED_CAUSES) assert.ok(isPlanned(cause) && !isFailure(cause), cause);
    for (const cause of FAILURE_CAUSES) assert.ok(isFailure(cause) && !isPlanned(cause), cause);
    assert.ok(!isPlanned("booted") && !isFailure("booted"));
  });

  test("records each transition with its cause and time", () => {
    let now = 5;
    const life = new Lifecycle("worker 2", () => now);
    life.transition("ready", "booted");
    now = 9;
    life.transition("draining", "max-memory");
    assert.deepEqual(life.history, [
      { from: "starting", to: "ready", cause: "booted", at: 5 },
      { from: "ready", to: "draining", cause: "max-memory", at: 9 },
    ]);
    assert.equal(life.cause, "max-memory");
  });

  test("an exit means: boot failure while starting, crash when ready, the cause it was draining or killed for", () => {
    const at = (...steps: Array<[LifecycleState, Cause]>) => {
      const life = new Lifecycle("w");
      for (const [to, cause] of steps) life.transition(to, cause);
      return life.exitCause();
    };
    assert.equal(at(), "boot-failed");
    assert.equal(at(["ready", "booted"]), "crashed");
    assert.equal(at(["ready", "booted"], ["draining", "reload"]), "reload");
    assert.equal(at(["draining", "stop"]), "stop");
    assert.equal(at(["ready", "booted"], ["killing", "unresponsive"]), "unresponsive");
    assert.equal(at(["killing", "boot-failed"]), "boot-failed");
    const gone = new Lifecycle("w");
    gone.transition("exited", gone.exitCause());
    assert.throws(() => gone.exitCause(), /twice/);
  });
});
