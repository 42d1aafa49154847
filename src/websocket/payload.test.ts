import assert from "node:assert/strict";
import { test } from "node:test";
import { byteLength, fromWire, toFrame, toWire } from "./payload.ts";

test("text crosses the bus unchanged", () => {
  assert.equal(fromWire(JSON.parse(JSON.stringify(toWire(toFrame("héllo"))))), "héllo");
});

test("bytes cross the bus as base64 and come back equal, views honour their offset", () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 255, 7]);
  const view = bytes.subarray(2, 5);
  const back = fromWire(JSON.parse(JSON.stringify(toWire(toFrame(view)))));
  assert.deepEqual([...(back as Uint8Array)], [2, 250, 255]);
  assert.deepEqual([...(toFrame(bytes.buffer) as Uint8Array)], [...bytes]);
});

test("size counts UTF-8 bytes", () => {
  assert.equal(byteLength("é"), 2);
  assert.equal(byteLength(new ArrayBuffer(5)), 5);
});

test("other values are refused", () => {
  assert.throws(() => toFrame(42 as never), TypeError);
});
