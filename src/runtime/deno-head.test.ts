import assert from "node:assert/strict";
import { test } from "node:test";
import { checkDenoHead, checkedHeaderFields, checkedUpgrade } from "./deno-head.ts";
import { Prechecked } from "../limits/prechecked.ts";

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100, maxUrlLength: 8192, maxBodySize: 1000 };

// What Deno.serve hands a handler, as far as the check reads it: the URL, and
// the inner request under an own symbol whose headerList is the raw fields.
const INNER = Symbol("request");
function servedRequest(fields: [string, string][], url = "http://x/"): Request {
  return { url, [INNER]: { headerList: fields } } as unknown as Request;
}

test("without Deno.serve's field list (any other Request) the limits stage is left to check", () => {
  assert.equal(checkDenoHead(new Request("http://x/", { headers: { host: "x" } }), LIMITS), undefined);
});

test("a request with one Host and no body goes on, its fields and Upgrade kept for the stages after", () => {
  const fields: [string, string][] = [["Host", "x"], ["Upgrade", "websocket"]];
  const request = servedRequest(fields);
  assert.deepEqual(checkDenoHead(request, LIMITS), { kind: Prechecked.WithoutBody });
  assert.equal(checkedHeaderFields(request), fields);
  assert.equal(checkedUpgrade(request), "websocket");
  assert.equal(checkedUpgrade(servedRequest([["Host", "x"]])), undefined, "another request is not answered for");
});

test("the Upgrade field is null when the request has none, not the last request's", () => {
  checkDenoHead(servedRequest([["host", "x"], ["upgrade", "websocket"]]), LIMITS);
  const plain = servedRequest([["host", "x"]]);
  checkDenoHead(plain, LIMITS);
  assert.equal(checkedUpgrade(plain), null);
});

test("a missing, repeated or empty Host is refused with 400", () => {
  assert.deepEqual(checkDenoHead(servedRequest([]), LIMITS), { status: 400 });
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "a"], ["host", "b"]]), LIMITS), { status: 400 });
  assert.deepEqual(checkDenoHead(servedRequest([["Host", " "]]), LIMITS), { status: 400 });
});

test("too many fields or header bytes are refused with 431, a long target with 414", () => {
  const many = Array.from({ length: 101 }, (_, i): [string, string] => [`x-${i}`, "1"]);
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "x"], ...many]), LIMITS), { status: 431 });
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "x"], ["x-big", "a".repeat(16_384)]]), LIMITS), { status: 431 });
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "x"]], `http://x/${"a".repeat(8192)}`), LIMITS), { status: 414 });
});

test("a declared body is allowed up to the limit and refused above it", () => {
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "x"], ["Content-Length", "10"]]), LIMITS), { kind: Prechecked.WithBody });
  assert.deepEqual(checkDenoHead(servedRequest([["Host", "x"], ["Content-Length", "1001"]]), LIMITS), { status: 413 });
});
