import assert from "node:assert/strict";
import { test } from "node:test";
import { createWallClock } from "./wall-clock.ts";

test("wall time follows the monotonic clock from the anchor, without reading the wall clock", () => {
  let wallReads = 0;
  const wallAt = createWallClock(() => 100, () => (wallReads++, 5_000), 1000);
  assert.equal(wallAt(100), 5_000);
  assert.equal(wallAt(350.5), 5_250.5);
  assert.equal(wallReads, 1);
});

test("a wall clock that was stepped is followed once the anchor is a re-anchoring period old", () => {
  let wall = 5_000;
  const wallAt = createWallClock(() => 0, () => wall, 1000);
  wall = 90_000; // stepped forward by a time sync
  assert.equal(wallAt(999), 5_999);
  assert.equal(wallAt(1000), 90_000);
  assert.equal(wallAt(1500), 90_500);
});
