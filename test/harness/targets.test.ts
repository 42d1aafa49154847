import assert from "node:assert/strict";
import { test } from "node:test";
import { TARGETS, targetsNamed } from "./targets.ts";

test("LSKY_TEST_TARGETS: unset or empty means every target, a list picks those", () => {
  assert.deepEqual(targetsNamed(undefined), TARGETS);
  assert.deepEqual(targetsNamed(" "), TARGETS);
  assert.deepEqual(targetsNamed("bun, binary").map((t) => t.name), ["bun", "binary"]);
});

test("LSKY_TEST_TARGETS: an unknown name is an error, not zero tests", () => {
  assert.throws(() => targetsNamed("node,nod"), /no such target: "nod" \(known: node, bun, deno, binary\)/);
});
