import assert from "node:assert/strict";
import { test } from "node:test";
import { lightweightBodyLength } from "./node-body-length.ts";

const CACHE = Symbol("cache");
const held = (body: unknown) => ({ [CACHE]: [200, body, undefined] }) as unknown as Response;

test("a body held as given is measured in bytes without reading it", () => {
  assert.equal(lightweightBodyLength(held("héllo")), 6);
  assert.equal(lightweightBodyLength(held(new Uint8Array(7))), 7);
  assert.equal(lightweightBodyLength(held(null)), 0);
});

test("a stream, or a response that is not lightweight, is left to the caller", () => {
  assert.equal(lightweightBodyLength(held(new ReadableStream())), undefined);
  assert.equal(lightweightBodyLength(new Response("hello")), undefined);
});
