import assert from "node:assert/strict";
import { test } from "node:test";
import { childrenIn, kbField, parentPid } from "./proc-memory.ts";

const STATUS = "Name:\tbun\nVmPeak:\t  120000 kB\nVmRSS:\t   45512 kB\nRssAnon:\t   20000 kB\n";
const ROLLUP = "00400000-7ffd [rollup]\nRss:               45512 kB\nPss:               30211 kB\nPss_Anon:          20000 kB\n";

test("kbField reads a kB field by its exact name", () => {
  assert.equal(kbField(STATUS, "VmRSS"), 45512);
  assert.equal(kbField(ROLLUP, "Pss"), 30211);
  assert.equal(kbField(ROLLUP, "Pss_Anon"), 20000);
  assert.equal(kbField(STATUS, "VmSwap"), undefined);
});

// A whole stat line has some fifty fields; these tests need the first five.
const line = (head: string) => `${head} 0 -1 4194560 100 0 0 0 7 5 0 0 20 0 1 0 123`;

test("parentPid skips a command name holding spaces and parentheses", () => {
  assert.equal(parentPid(line("4242 (lsky (worker) x) S 4000 4000 4000")), 4000);
  assert.equal(parentPid(line("1 (init) S 0 1 1")), 0);
});

test("childrenIn finds the direct children of a pid only", () => {
  const stats = new Map([
    [10, line("10 (supervisor) S 1 10 10")],
    [12, line("12 (worker) S 10 10 10")],
    [11, line("11 (worker) S 10 10 10")],
    [13, line("13 (grandchild) S 12 10 10")],
  ]);
  assert.deepEqual(childrenIn(stats, 10), [11, 12]);
  assert.deepEqual(childrenIn(stats, 12), [13]);
  assert.deepEqual(childrenIn(stats, 99), []);
});
