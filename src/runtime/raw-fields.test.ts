import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldPairs } from "./raw-fields.ts";

test("raw fields become pairs in the client's order, repeats kept", () => {
  assert.deepEqual(fieldPairs(["Host", "a", "X-A", "1", "x-a", "2"]), [["Host", "a"], ["X-A", "1"], ["x-a", "2"]]);
  assert.deepEqual(new Headers(fieldPairs(["X-A", "1", "x-a", "2"])).get("x-a"), "1, 2");
});

test("no fields, or a name left without its value, give no pair for it", () => {
  assert.deepEqual(fieldPairs([]), []);
  assert.deepEqual(fieldPairs(["Host", "a", "X-Lone"]), [["Host", "a"]]);
});
