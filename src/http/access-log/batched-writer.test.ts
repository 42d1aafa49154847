import assert from "node:assert/strict";
import { test } from "node:test";
import { createBatchedWriter } from "./batched-writer.ts";

const upper = (entry: string) => entry.toUpperCase();

test("entries are held, then formatted and written together, newline-terminated, after the flush delay", async () => {
  const writes: string[] = [];
  const record = createBatchedWriter(upper, (t) => writes.push(t), 100, 5);
  record("a");
  await new Promise((r) => setImmediate(r));
  record("b");
  assert.deepEqual(writes, []);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(writes, ["A\nB\n"]);
});

test("a full batch is written at once, and the next batch starts empty", () => {
  const writes: string[] = [];
  const record = createBatchedWriter(upper, (t) => writes.push(t), 2, 60_000);
  record("a");
  record("b");
  assert.deepEqual(writes, ["A\nB\n"]);
  record("c");
  record("d");
  assert.deepEqual(writes, ["A\nB\n", "C\nD\n"]);
});

test("nothing pending, nothing written", async () => {
  const writes: string[] = [];
  createBatchedWriter(upper, (t) => writes.push(t), 2, 1);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(writes, []);
});
