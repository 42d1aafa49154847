import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSocketId, socketIdPrefix } from "./socket-id.ts";

test("a standalone id names its worker and no node", () => {
  assert.equal(socketIdPrefix(3, "abc"), "3-abc-");
  assert.deepEqual(parseSocketId("3-abc-17"), { worker: 3 });
});

test("a cluster id names its node before the worker", () => {
  const id = `${socketIdPrefix(2, "k9x", "web-a.eu_1")}5`;
  assert.equal(id, "web-a.eu_1~2-k9x-5");
  assert.deepEqual(parseSocketId(id), { node: "web-a.eu_1", worker: 2 });
});

test("what is no lsky id has no owner", () => {
  for (const id of ["nonsense", "3-abc", "~3-abc-1", "a~b~3-abc-1", "a:3-abc-1", 42, undefined, `${"n".repeat(65)}~1-a-1`]) {
    assert.equal(parseSocketId(id), undefined, String(id));
  }
});
