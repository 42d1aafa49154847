import assert from "node:assert/strict";
import { test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { compressResponse } from "./compress.ts";

const options = { threshold: 100, codings: ["br", "gzip"] as ("br" | "gzip")[] };
const text = "lsky compresses this line. ".repeat(200);

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

const textResponse = (body: BodyInit | null, headers: Record<string, string> = {}, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

test("compresses a streamed body of unknown length, byte-exactly on decode", async () => {
  const response = await compressResponse(textResponse(streamOf(text.slice(0, 10), text.slice(10))), "gzip, br", options);
  assert.equal(response.headers.get("content-encoding"), "br");
  assert.equal(response.headers.get("vary"), "Accept-Encoding");
  assert.equal(response.headers.get("content-length"), null);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(brotliDecompressSync(bytes).toString(), text);
});

test("gzip when that is all the client takes; strong ETag becomes weak; Vary is merged", async () => {
  const response = await compressResponse(textResponse(text, { etag: '"abc"', vary: "Origin" }), "gzip", options);
  assert.equal(response.headers.get("content-encoding"), "gzip");
  assert.equal(response.headers.get("etag"), 'W/"abc"');
  assert.equal(response.headers.get("vary"), "Origin, Accept-Encoding");
  assert.equal(gunzipSync(Buffer.from(await response.arrayBuffer())).toString(), text);
});

test("bodies below the threshold go out as they are, with their length", async () => {
  const response = await compressResponse(textResponse(streamOf("short")), "gzip", options);
  assert.equal(response.headers.get("content-encoding"), null);
  assert.equal(response.headers.get("content-length"), "5");
  assert.equal(await response.text(), "short");
});

test("leaves alone: encoded, no-transform, incompressible types, 206/204/304", async () => {
  const cases = [
    textResponse(text, { "content-encoding": "gzip" }),
    textResponse(text, { "cache-control": "public, no-transform" }),
    new Response(text, { headers: { "content-type": "image/png" } }),
    textResponse(text, {}, 206),
    textResponse(null, {}, 204),
    textResponse(null, {}, 304),
  ];
  for (const original of cases) {
    const response = await compressResponse(original, "gzip, br", options);
    assert.equal(response, original);
  }
});

test("a client that accepts no coding gets the body as is, with Vary", async () => {
  const response = await compressResponse(textResponse(text), "identity", options);
  assert.equal(response.headers.get("content-encoding"), null);
  assert.equal(response.headers.get("vary"), "Accept-Encoding");
  assert.equal(await response.text(), text);
});

test("a large stream keeps its bytes through backpressure, in every coding", async () => {
  const chunk = (i: number) => `${i}:${"abcdefghijklmnopqrstuvwxyz".repeat(600 + (i % 7))}\n`;
  const expected = Array.from({ length: 400 }, (_, i) => chunk(i)).join("");
  for (const [coding, decode] of [["gzip", gunzipSync], ["br", brotliDecompressSync]] as const) {
    let i = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i === 400) return controller.close();
        controller.enqueue(new TextEncoder().encode(chunk(i++)));
      },
    });
    const response = await compressResponse(textResponse(source), coding, options);
    assert.equal(response.headers.get("content-encoding"), coding);
    assert.equal(decode(Buffer.from(await response.arrayBuffer())).toString(), expected);
  }
});
