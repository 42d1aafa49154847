import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mayOutlastIdleTimer, paceBody } from "./send-pacing.ts";
import { recordBodies } from "./held-bodies.ts";

describe("send pacing", () => {
  recordBodies();

  test("large strings, buffers and every stream are marked; small bodies are not", () => {
    assert.equal(mayOutlastIdleTimer(new Response("x".repeat(100_000))), true);
    assert.equal(mayOutlastIdleTimer(new Response(new Uint8Array(100_000))), true);
    assert.equal(mayOutlastIdleTimer(new Response(new ReadableStream())), true);
    assert.equal(mayOutlastIdleTimer(new Response("small")), false);
    assert.equal(mayOutlastIdleTimer(new Response(null, { status: 204 })), false);
    assert.ok(new Response("a") instanceof Response);
  });

  test("responses the engine makes itself are still instances of the global Response", async () => {
    assert.ok(Response.json({}) instanceof Response);
    assert.ok(Response.redirect("http://localhost/") instanceof Response);
    assert.ok(Response.error() instanceof Response);
    assert.ok((await fetch("data:,hi")) instanceof Response);
    assert.equal({} instanceof Response, false);
  });

  test("a declared length above 64 KiB counts when the body was not seen", () => {
    const headers = { "content-length": "1000000" };
    assert.equal(mayOutlastIdleTimer(Response.json({}, { headers })), true);
  });

  test("the paced body has the same bytes, in parts of at most 16 KiB, and tells when the last one was taken", async () => {
    const bytes = new Uint8Array(40_000).map((_, i) => i % 251);
    const calls: boolean[] = [];
    const paced = paceBody(new Response(bytes, { status: 201, headers: { "x-a": "1", "content-length": "40000" } }), (last) => calls.push(last));
    assert.equal(paced.status, 201);
    assert.equal(paced.headers.get("x-a"), "1");
    assert.equal(paced.headers.get("content-length"), null);
    const parts: number[] = [];
    const received: number[] = [];
    for await (const part of paced.body!) {
      parts.push(part.byteLength);
      received.push(...part);
    }
    assert.ok(parts.every((size) => size <= 16 * 1024));
    assert.deepEqual(received, [...bytes]);
    assert.equal(calls.at(-1), true);
    assert.equal(calls.filter((last) => last).length, 1);
  });
});
