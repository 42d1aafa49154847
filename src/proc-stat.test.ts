import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStat } from "./proc-stat.ts";

test("parses state and parent from /proc/PID/stat, even with odd process names", () => {
  assert.deepEqual(parseStat("42 (sleep) Z 1 42 42 0 -1"), { state: "Z", ppid: 1 });
  assert.deepEqual(parseStat("43 (a (weird) name) S 7 43 43 0 -1"), { state: "S", ppid: 7 });
  assert.equal(parseStat("nonsense"), undefined);
});
