import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heldBody, heldBodyLength, madeWithProducedBody, recordBodies } from "./held-bodies.ts";

describe("held bodies", () => {
  const before = new Response("made before recording");
  recordBodies();

  test("a body held in memory is measured in bytes without reading it", async () => {
    const text = new Response("héllo");
    assert.equal(heldBodyLength(text), 6);
    assert.equal(heldBodyLength(new Response(new Uint8Array(7))), 7);
    assert.equal(heldBodyLength(new Response(new ArrayBuffer(3))), 3);
    assert.equal(heldBodyLength(new Response(new Blob(["abcd"]))), 4);
    assert.equal(heldBodyLength(new Response(null, { status: 204 })), 0);
    assert.equal(heldBodyLength(new Response()), 0);
    assert.equal(text.bodyUsed, false, "the body was not read");
    assert.equal(await text.text(), "héllo");
  });

  test("a stream or form data is produced over time: no length, and marked as such", () => {
    const streamed = new Response(new ReadableStream());
    assert.equal(heldBodyLength(streamed), undefined);
    assert.equal(heldBody(streamed), undefined);
    assert.equal(madeWithProducedBody(streamed), true);
    assert.equal(madeWithProducedBody(new Response(new FormData())), true);
    assert.equal(madeWithProducedBody(new Response("x")), false);
  });

  test("responses not made through the recording class are unknown, not guessed", async () => {
    assert.equal(heldBodyLength(before), undefined);
    assert.equal(heldBodyLength(Response.json({ a: 1 })), undefined);
    assert.equal(madeWithProducedBody(Response.json({ a: 1 })), false);
    assert.ok((await fetch("data:,hi")) instanceof Response);
    assert.ok(before instanceof Response);
  });
});
