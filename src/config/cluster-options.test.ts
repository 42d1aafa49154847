import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNodeName, parseRedisUrl } from "./cluster-options.ts";

test("a Redis URL must be redis:// or rediss://; empty means no cluster", () => {
  assert.equal(parseRedisUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
  assert.equal(parseRedisUrl(" rediss://cache.internal:6380/2 "), "rediss://cache.internal:6380/2");
  assert.equal(parseRedisUrl(""), "");
  assert.throws(() => parseRedisUrl("http://127.0.0.1:6379"), /redis:\/\/ or rediss:\/\//);
  assert.throws(() => parseRedisUrl("127.0.0.1:6379x"), /redis:\/\/ or rediss:\/\//);
});

test("a node name is 1 to 64 of letters, digits, dot, underscore, dash", () => {
  assert.equal(parseNodeName("edge-1.eu_west"), "edge-1.eu_west");
  assert.equal(parseNodeName(""), "");
  assert.throws(() => parseNodeName("a b"), /node name/);
  assert.throws(() => parseNodeName("x".repeat(65)), /node name/);
  assert.throws(() => parseNodeName("a:b"), /node name/);
});
