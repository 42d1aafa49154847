import assert from "node:assert/strict";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { recordBodies } from "./held-bodies.ts";
import { sendHeldBody } from "./node-held-send.ts";

/** What a ServerResponse was asked to write. */
function recorder() {
  const written: { status?: number; headers?: OutgoingHttpHeaders; body?: unknown } = {};
  const outgoing = {
    writeHead(status: number, headers: OutgoingHttpHeaders) {
      written.status = status;
      written.headers = headers;
      return this;
    },
    end(body: unknown) {
      written.body = body;
      return this;
    },
  } as unknown as ServerResponse;
  return { outgoing, written };
}

/** Resolves after the microtasks queued so far (and those they queue) have run. */
const afterMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe("sendHeldBody", () => {
  recordBodies();

  test("a string body is written whole with its length in bytes, and the writer is told it was sent", async () => {
    const { outgoing, written } = recorder();
    const result = sendHeldBody(outgoing, new Response("héllo", { status: 201, headers: { "x-a": "1" } }));
    assert.equal(result, RESPONSE_ALREADY_SENT);
    assert.deepEqual(written, {}, "written once the request event is over, not during it");
    await afterMicrotasks();
    assert.equal(written.status, 201);
    assert.equal(written.body, "héllo");
    assert.equal(written.headers!["content-length"], 6);
    assert.equal(written.headers!["x-a"], "1");
    assert.equal(written.headers!["content-type"], "text/plain;charset=UTF-8");
  });

  test("bytes keep their absent content type; the app's wrong length is replaced", async () => {
    const { outgoing, written } = recorder();
    const bytes = new Uint8Array([1, 2, 3]);
    sendHeldBody(outgoing, new Response(bytes, { headers: { "content-length": "99" } }));
    await afterMicrotasks();
    assert.equal(written.body, bytes);
    assert.equal(written.headers!["content-length"], 3);
    assert.equal("content-type" in written.headers!, false);
  });

  test("every Set-Cookie stays a field of its own", async () => {
    const { outgoing, written } = recorder();
    sendHeldBody(outgoing, new Response("x", { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["set-cookie", "c=3"]] }));
    await afterMicrotasks();
    assert.deepEqual(written.headers!["set-cookie"], ["a=1", "b=2", "c=3"]);
  });

  test("other bodies and bodiless statuses are left to the general writer, untouched", async () => {
    const { outgoing, written } = recorder();
    for (const response of [
      new Response(new ReadableStream()),
      new Response(new Blob(["b"])),
      new Response(new ArrayBuffer(2)),
      new Response(null, { status: 204 }),
      new Response(null),
      new Response(null, { status: 304 }),
      Response.json({ made: "by the engine" }),
    ]) {
      assert.equal(sendHeldBody(outgoing, response), undefined);
    }
    await afterMicrotasks();
    assert.deepEqual(written, {});
  });
});
