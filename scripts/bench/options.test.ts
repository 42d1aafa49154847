import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBenchOptions, SUITES } from "./options.ts";

test("defaults: every suite, every engine, the full run's figures", () => {
  const options = parseBenchOptions([]);
  assert.deepEqual(options.suites, SUITES);
  assert.deepEqual(options.engines, ["bun", "deno", "node"]);
  assert.deepEqual([options.rounds, options.duration, options.warmup, options.connections], [3, 4, 8, 50]);
  assert.equal(options.docs, true);
});

test("--only keeps the harness's order; --engines keeps the given order (its first runs static's compression)", () => {
  const options = parseBenchOptions(["--only", "bus,static", "--engines", "node,bun", "--quick", "--duration", "1", "--warmup", "0"]);
  assert.deepEqual(options.suites, ["static", "bus"]);
  assert.deepEqual(options.engines, ["node", "bun"]);
  assert.deepEqual([options.rounds, options.duration, options.warmup, options.quick], [1, 1, 0, true]);
});

test("unknown names and bad numbers are usage errors (RangeError)", () => {
  assert.throws(() => parseBenchOptions(["--only", "replace"]), RangeError);
  assert.throws(() => parseBenchOptions(["--engines", "workerd"]), RangeError);
  assert.throws(() => parseBenchOptions(["--rounds", "0"]), RangeError);
  assert.throws(() => parseBenchOptions(["--connections", "1", "--threads", "2"]), RangeError);
});
