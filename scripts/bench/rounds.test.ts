import assert from "node:assert/strict";
import { test } from "node:test";
import { roundOrder, runRounds, series } from "./rounds.ts";

test("roundOrder keeps the order, or starts each round one turn later", () => {
  assert.deepEqual(roundOrder(["a", "b", "c"], 1, false), ["a", "b", "c"]);
  assert.deepEqual(roundOrder(["a", "b", "c"], 0, true), ["a", "b", "c"]);
  assert.deepEqual(roundOrder(["a", "b", "c"], 1, true), ["b", "c", "a"]);
  assert.deepEqual(roundOrder(["a", "b", "c"], 4, true), ["b", "c", "a"]);
  assert.deepEqual(roundOrder([], 2, true), []);
});

test("runRounds interleaves the turns and records each figure by round; a failed turn leaves a hole and the run goes on", async (t) => {
  t.mock.method(process.stderr, "write", () => true);
  const calls: string[] = [];
  const turn = (id: string, fail?: number) => ({
    id,
    measure: async (round: number) => {
      calls.push(`${id}${round}`);
      if (round === fail) throw new Error(`broke\nsecond line`);
      return { rps: round + (id === "a" ? 10 : 20) };
    },
  });
  const result = await runRounds("test", [turn("a"), turn("b", 1)], { rounds: 3 });
  assert.deepEqual(calls, ["a0", "b0", "a1", "b1", "a2", "b2"]);
  assert.deepEqual(series(result, "a", "rps"), [10, 11, 12]);
  const b = series(result, "b", "rps");
  assert.deepEqual([b[0], b[1], b[2]], [20, undefined, 22]);
  assert.deepEqual(result.failures, ["round 2, b: broke"]);
  assert.deepEqual(series(result, "c", "rps"), []);
});

test("runRounds with rotate starts each round one turn later", async (t) => {
  t.mock.method(process.stderr, "write", () => true);
  const calls: string[] = [];
  const turns = ["a", "b"].map((id) => ({ id, measure: async (round: number) => (calls.push(`${id}${round}`), {}) }));
  await runRounds("test", turns, { rounds: 2, rotate: true });
  assert.deepEqual(calls, ["a0", "b0", "b1", "a1"]);
});
