import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStat, processStat } from "./proc-stat.ts";

const TAIL = "0 -1 4194560 100 0 0 0 7 5 0 0 20 0 1 0 123";

test("parses name, state, parent, group and CPU ticks, even with odd process names", () => {
  assert.deepEqual(parseStat(`42 (sleep) Z 1 42 42 ${TAIL}`), { name: "sleep", state: "Z", ppid: 1, pgid: 42, cpuTicks: 12 });
  assert.deepEqual(parseStat(`43 (a (weird) name) S 7 40 43 ${TAIL}`), { name: "a (weird) name", state: "S", ppid: 7, pgid: 40, cpuTicks: 12 });
});

test("gives undefined for text that is not a stat line", () => {
  assert.equal(parseStat("nonsense"), undefined);
  assert.equal(parseStat("42 (cut) S 1"), undefined);
});

test("reads this process's own stat, and nothing for a pid that is not there", { skip: process.platform !== "linux" }, () => {
  const own = processStat(process.pid);
  assert.equal(own?.ppid, process.ppid);
  assert.ok(own!.cpuTicks >= 0);
  assert.equal(processStat(2 ** 22 + 1), undefined);
});
