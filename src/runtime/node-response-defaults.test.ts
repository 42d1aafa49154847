import assert from "node:assert/strict";
import { test } from "node:test";
import { keepResponseDefaults } from "./node-response-defaults.ts";

// @hono/node-server's lightweight response, as lsky reads it: [status, body, headers init].
const CACHE = Symbol("cache");
type Parts = [number, unknown, unknown];
const lightweight = (body: unknown, init?: unknown) => ({ [CACHE]: [200, body, init] as Parts });
const fieldsAfter = (response: { [CACHE]: Parts }) => {
  keepResponseDefaults(response as unknown as Response);
  return response[CACHE][2];
};

test("a string body under a plain object gets the text type, on a copy", () => {
  const init = { location: "/x" };
  assert.deepEqual(fieldsAfter(lightweight("made", init)), { location: "/x", "content-type": "text/plain; charset=UTF-8" });
  assert.deepEqual(init, { location: "/x" });
});

test("a type the app gave, in any case of its name, is kept and nothing is copied", () => {
  const init = { "Content-Type": "text/html" };
  assert.equal(fieldsAfter(lightweight("<p>", init)), init);
});

test("a wrong Content-Length becomes the body's length in bytes, whatever the init", () => {
  assert.deepEqual(fieldsAfter(lightweight("é", { "Content-Length": "40", "content-type": "x/y" })), { "Content-Length": "2", "content-type": "x/y" });
  const headers = new Headers({ "content-length": "40" });
  const fixed = fieldsAfter(lightweight("four", headers)) as Headers;
  assert.equal(fixed.get("content-length"), "4");
  assert.equal(headers.get("content-length"), "40");
  const pairs = fieldsAfter(lightweight("four", [["Content-Length", "9"]])) as Headers;
  assert.equal(pairs.get("content-length"), "4");
});

test("a right Content-Length, and an init without one, stay the same object", () => {
  const headers = new Headers({ "content-length": " 4 " });
  assert.equal(fieldsAfter(lightweight("four", headers)), headers);
  const pairs = [["x-a", "1"]];
  assert.equal(fieldsAfter(lightweight("four", pairs)), pairs);
  assert.equal(fieldsAfter(lightweight("four")), undefined);
});

test("bytes are sent under a plain object, so no text type is added to them", () => {
  assert.deepEqual(fieldsAfter(lightweight(new Uint8Array(3))), {});
  const cookies = new Headers([["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1"]]);
  assert.deepEqual(fieldsAfter(lightweight(new Uint8Array(3), cookies)), { "x-a": "1", "set-cookie": ["a=1", "b=2"] });
  const typed = new Headers({ "content-type": "image/png" });
  assert.equal(fieldsAfter(lightweight(new Uint8Array(3), typed)), typed);
});

test("no body, a stream, or a response that is not lightweight is left alone", () => {
  const init = { location: "/x" };
  assert.equal(fieldsAfter(lightweight(null, init)), init);
  assert.equal(fieldsAfter(lightweight(new ReadableStream(), init)), init);
  keepResponseDefaults(new Response("plain"));
});
