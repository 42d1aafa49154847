import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeName, retryDelay } from "./redis-link.ts";

test("reconnect delays double from 100 ms and stop at 2 s", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(retryDelay), [100, 200, 400, 800, 1600, 2000, 2000]);
});

test("the node name is the setting, or the host name and the pid", () => {
  assert.equal(nodeName("edge-1", 42), "edge-1");
  assert.match(nodeName("", 42), /^[A-Za-z0-9._-]+-42$/);
});
