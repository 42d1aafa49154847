import assert from "node:assert/strict";
import { test } from "node:test";
import { checkRequest, HAS_BODY, requestTargetLength } from "./request-checks.ts";

const LIMITS = { maxHeaderSize: 200, maxHeaderCount: 5, maxUrlLength: 30, maxBodySize: 100 };

function request(path: string, headers: Record<string, string> | [string, string][] = { host: "example.com" }, method = "GET"): Request {
  return new Request(`http://example.com${path}`, { method, headers });
}

test("requestTargetLength counts path and query only", () => {
  assert.equal(requestTargetLength("http://example.com/a/b?c=d"), 8);
  assert.equal(requestTargetLength("http://example.com:8080/"), 1);
  assert.equal(requestTargetLength("http://[::1]:80/x"), 2);
});

test("a request within every limit goes on", () => {
  assert.equal(checkRequest(request("/ok"), LIMITS), 0);
  assert.equal(checkRequest(request("/ok", { host: "h", "content-length": "100" }, "POST"), LIMITS), HAS_BODY);
  assert.equal(checkRequest(request("/ok", { host: "h", "transfer-encoding": "chunked" }, "POST"), LIMITS), HAS_BODY);
});

test("the URL limit counts path and query, not scheme and host", () => {
  // Full URLs of 48 and 49 characters, over the limit of 30 as a whole.
  assert.equal(checkRequest(request(`/${"a".repeat(29)}`), LIMITS), 0);
  assert.equal(checkRequest(request(`/${"a".repeat(30)}`), LIMITS), 414);
});

test("a long URL is 414, big or many headers 431", () => {
  assert.equal(checkRequest(request(`/${"a".repeat(30)}`), LIMITS), 414);
  assert.equal(checkRequest(request("/", { host: "h", "x-big": "v".repeat(200) }), LIMITS), 431);
  const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x-${i}`, "v"]));
  assert.equal(checkRequest(request("/", { host: "h", ...many }), LIMITS), 431);
});

test("a missing, empty or repeated Host is 400", () => {
  assert.equal(checkRequest(request("/", {}), LIMITS), 400);
  assert.equal(checkRequest(request("/", { host: " " }), LIMITS), 400);
  assert.equal(checkRequest(request("/", [["host", "a"], ["host", "b"]]), LIMITS), 400);
});

test("bad framing is 400; a declared body over the limit is 413", () => {
  const post = (headers: Record<string, string>) => request("/", { host: "h", ...headers }, "POST");
  assert.equal(checkRequest(post({ "content-length": "5", "transfer-encoding": "chunked" }), LIMITS), 400);
  assert.equal(checkRequest(post({ "transfer-encoding": "gzip" }), LIMITS), 400);
  assert.equal(checkRequest(post({ "content-length": "5, 5" }), LIMITS), 400);
  assert.equal(checkRequest(post({ "content-length": "-1" }), LIMITS), 400);
  assert.equal(checkRequest(post({ "content-length": "101" }), LIMITS), 413);
});
