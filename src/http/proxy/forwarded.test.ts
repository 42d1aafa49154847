import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeAddress, parseForwarded } from "./forwarded.ts";

test("parses elements, pairs, quoted strings and case-insensitive names", () => {
  assert.deepEqual(parseForwarded('for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"'), [
    { for: "192.0.2.60", proto: "http", by: "203.0.113.43" },
    { for: "[2001:db8:cafe::17]:4711" },
  ]);
  assert.deepEqual(parseForwarded('for=unknown; host="example.com:8443" ; proto=https'), [
    { for: "unknown", host: "example.com:8443", proto: "https" },
  ]);
});

test("quoted values may hold commas, semicolons and escapes", () => {
  assert.deepEqual(parseForwarded('for="a,b;c\\"d", for=1.2.3.4'), [{ for: 'a,b;c"d' }, { for: "1.2.3.4" }]);
});

test("empty and broken headers give no elements, never throw", () => {
  assert.deepEqual(parseForwarded(""), []);
  assert.deepEqual(parseForwarded(" , ,"), []);
  assert.deepEqual(parseForwarded("garbage"), []);
  assert.deepEqual(parseForwarded('for="unterminated'), [{ for: "unterminated" }]);
});

test("nodeAddress strips brackets and ports", () => {
  assert.equal(nodeAddress("[2001:db8::1]:4711"), "2001:db8::1");
  assert.equal(nodeAddress("[::1]"), "::1");
  assert.equal(nodeAddress("192.0.2.1:80"), "192.0.2.1");
  assert.equal(nodeAddress(" 2001:db8::1 "), "2001:db8::1");
  assert.equal(nodeAddress("_hidden"), "_hidden");
});
