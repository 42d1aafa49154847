import assert from "node:assert/strict";
import { test } from "node:test";
import { ifRangeAllows, isNotModified, validatorsFor } from "./conditional.ts";

const mtimeMs = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const v = validatorsFor(1234, mtimeMs);

test("validators: strong ETag from mtime and size, HTTP date", () => {
  assert.match(v.etag, /^"[0-9a-f]+-4d2"$/);
  assert.equal(v.lastModified, "Tue, 02 Jan 2024 03:04:05 GMT");
});

test("If-None-Match wins over If-Modified-Since and compares weakly", () => {
  assert.equal(isNotModified(new Headers({ "if-none-match": v.etag }), v, mtimeMs), true);
  assert.equal(isNotModified(new Headers({ "if-none-match": `"x", W/${v.etag}` }), v, mtimeMs), true);
  assert.equal(isNotModified(new Headers({ "if-none-match": "*" }), v, mtimeMs), true);
  assert.equal(isNotModified(new Headers({ "if-none-match": '"other"', "if-modified-since": v.lastModified }), v, mtimeMs), false);
});

test("If-Modified-Since at one-second resolution", () => {
  assert.equal(isNotModified(new Headers({ "if-modified-since": v.lastModified }), v, mtimeMs), true);
  assert.equal(isNotModified(new Headers({ "if-modified-since": "Tue, 02 Jan 2024 03:04:04 GMT" }), v, mtimeMs), false);
  assert.equal(isNotModified(new Headers({ "if-modified-since": "garbage" }), v, mtimeMs), false);
  assert.equal(isNotModified(new Headers(), v, mtimeMs), false);
});

test("If-Range needs the exact strong ETag or date", () => {
  assert.equal(ifRangeAllows(new Headers(), v), true);
  assert.equal(ifRangeAllows(new Headers({ "if-range": v.etag }), v), true);
  assert.equal(ifRangeAllows(new Headers({ "if-range": `W/${v.etag}` }), v), false);
  assert.equal(ifRangeAllows(new Headers({ "if-range": '"old"' }), v), false);
  assert.equal(ifRangeAllows(new Headers({ "if-range": v.lastModified }), v), true);
});
