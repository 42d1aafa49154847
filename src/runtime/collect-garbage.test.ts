import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { supervisorMemory } from "../supervisor/status.ts";
import { collectGarbage } from "./collect-garbage.ts";

// These tests run on Node without --expose-gc; `gc` is stood in for.
const g = globalThis as { gc?: () => void };
const original = g.gc;

describe("collectGarbage", () => {
  afterEach(() => {
    g.gc = original;
  });

  test("does nothing and says so when the engine exposes no collector", () => {
    g.gc = undefined;
    assert.equal(collectGarbage(), false);
  });

  test("runs the exposed collector once", () => {
    let calls = 0;
    g.gc = () => void calls++;
    assert.equal(collectGarbage(), true);
    assert.equal(calls, 1);
  });

  test("the supervisor's memory collects only when asked", () => {
    let calls = 0;
    g.gc = () => void calls++;
    const plain = supervisorMemory(false);
    assert.equal(calls, 0);
    assert.equal(plain.collected, false);
    assert.ok(plain.rss > 0 && plain.heapUsed > 0 && plain.heapUsed < plain.rss);
    assert.equal(supervisorMemory(true).collected, true);
    assert.equal(calls, 1);
  });
});
