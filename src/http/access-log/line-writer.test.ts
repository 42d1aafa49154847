import assert from "node:assert/strict";
import { test } from "node:test";
import { createBufferedLineWriter } from "./line-writer.ts";

test("lines are held and written together, newline-terminated, after the flush delay", async () => {
  const writes: string[] = [];
  const writeLine = createBufferedLineWriter((t) => writes.push(t), 1024, 5);
  writeLine("a");
  await new Promise((r) => setImmediate(r));
  writeLine("b");
  assert.deepEqual(writes, []);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(writes, ["a\nb\n"]);
});

test("a full buffer is written at once", () => {
  const writes: string[] = [];
  const writeLine = createBufferedLineWriter((t) => writes.push(t), 4, 60_000);
  writeLine("a");
  writeLine("b");
  assert.deepEqual(writes, ["a\nb\n"]);
});
