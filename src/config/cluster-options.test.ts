import assert from "node:assert/strict";
import { test } from "node:test";
import { parseKeyPrefix, parseLockTtl, parseNodeName, parseRedisUrl } from "./cluster-options.ts";
import { validateFileValues } from "./file-values.ts";
import { resolveSettings } from "./resolve.ts";

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

test("the config file's cluster: { redis, node, required } sets the three cluster settings", () => {
  const { settings } = validateFileValues({ cluster: { redis: "redis://10.0.0.5:6379", node: "web-a", required: true } }, "lsky.config.ts");
  assert.equal(settings.clusterRedis, "redis://10.0.0.5:6379");
  assert.equal(settings.clusterNode, "web-a");
  assert.equal(settings.clusterRequired, true);
  assert.throws(() => validateFileValues({ cluster: { requird: true } }, "lsky.config.ts"), /Unknown key "cluster.requird"/);
});

test("--cluster-required and LSKY_CLUSTER_REQUIRED; off by default", () => {
  const context = { currentEngine: "node" as const };
  assert.equal(resolveSettings({ flags: {}, env: {}, context }).settings.clusterRequired, false);
  assert.equal(resolveSettings({ flags: { clusterRequired: "true" }, env: {}, context }).settings.clusterRequired, true);
  assert.equal(resolveSettings({ flags: {}, env: { LSKY_CLUSTER_REQUIRED: "1" }, context }).settings.clusterRequired, true);
});

test("a key prefix is 1 to 64 letters, digits, dot, underscore, colon, dash", () => {
  assert.equal(parseKeyPrefix(" shop:eu "), "shop:eu");
  assert.throws(() => parseKeyPrefix(""), /prefix/);
  assert.throws(() => parseKeyPrefix("a{b}"), /prefix/);
});

test("the lock TTL is a duration from 100 ms to 10 min", () => {
  assert.equal(parseLockTtl("5s"), 5000);
  assert.equal(parseLockTtl("250ms"), 250);
  assert.throws(() => parseLockTtl("50ms"), /100ms to 10m/);
  assert.throws(() => parseLockTtl("1h"), /100ms to 10m/);
});
