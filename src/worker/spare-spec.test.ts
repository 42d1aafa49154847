import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { readSpareSpec } from "./spare-spec.ts";

test("the spec is the first line, however it is split into chunks", async () => {
  const stdin = new PassThrough();
  const spec = readSpareSpec(stdin);
  stdin.write('{"slot":');
  stdin.write('3}\n{"ignored":true}\n');
  assert.equal(await spec, '{"slot":3}');
  assert.equal(stdin.destroyed, true);
});

test("stdin closed before a whole line: no spec", async () => {
  const stdin = new PassThrough();
  const spec = readSpareSpec(stdin);
  stdin.end('{"slot":');
  assert.equal(await spec, undefined);
});

test("a stdin error: no spec", async () => {
  const stdin = new PassThrough();
  const spec = readSpareSpec(stdin);
  stdin.destroy(new Error("EPIPE"));
  assert.equal(await spec, undefined);
});
