import assert from "node:assert/strict";
import { test } from "node:test";
import { createBatchedLineWriter } from "./line-writer.ts";

test("lines of one turn are written together, newline-terminated", async () => {
  const writes: string[] = [];
  const writeLine = createBatchedLineWriter((t) => writes.push(t));
  writeLine("a");
  writeLine("b");
  assert.deepEqual(writes, []);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(writes, ["a\nb\n"]);
});

test("a full batch is written at once", () => {
  const writes: string[] = [];
  const writeLine = createBatchedLineWriter((t) => writes.push(t), 2);
  writeLine("a");
  writeLine("b");
  assert.deepEqual(writes, ["a\nb\n"]);
});
