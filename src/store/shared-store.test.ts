import assert from "node:assert/strict";
import { test } from "node:test";
import { storeMetricLines } from "./metrics.ts";
import { OP } from "./protocol.ts";
import { SharedStore } from "./shared-store.ts";

const settings = { tables: { t: { size: 2, columns: { n: "int" as const } } }, cacheMaxEntries: 2, cacheMaxBytes: 100 };

test("a batch is answered with one result per operation, undefined and failures marked by index", () => {
  const store = new SharedStore(settings, () => 0);
  const reply = JSON.parse(store.serve({
    type: "store", n: 5,
    ops: [OP.TABLE_INCR, "t", "a", "n", 2, OP.TABLE_GET, "t", "zz", OP.TABLE_GET, "x", "a", OP.CACHE_SET, "k", "[1]", 0, OP.CACHE_GET, "k"],
  }));
  assert.deepEqual(reply.r, [2, null, null, null, [1]]);
  assert.deepEqual(reply.u, [1]);
  assert.deepEqual(reply.e.slice(0, 2), [2, "TABLE_UNKNOWN"]);
});

test("a malformed batch still gets one result per operation, all failed, and changes nothing after the bad one", () => {
  const store = new SharedStore(settings, () => 0);
  const reply = JSON.parse(store.serve({ type: "store", n: 3, ops: [OP.TABLE_INCR, "t", "a", "n", 1, 99, OP.TABLE_INCR, "t", "a", "n", 1] }));
  assert.deepEqual(reply.r, [1, null, null]);
  assert.deepEqual(reply.e.filter((_: unknown, i: number) => i % 3 === 0), [1, 2]);
  assert.deepEqual(store.table("t").get("a"), { n: 1 });
  assert.deepEqual(JSON.parse(store.serve({ type: "store", n: 2, ops: "nope" } as never)).r, []);
});

test("keys and values that skipped the client's checks are refused, not stored", () => {
  const store = new SharedStore(settings, () => 0);
  const reply = JSON.parse(store.serve({ type: "store", n: 3, ops: [OP.TABLE_GET, "t", 5, OP.CACHE_SET, "k", { a: 1 }, 0, OP.CACHE_SET, "k", "1", -5] }));
  assert.deepEqual(reply.e.filter((_: unknown, i: number) => i % 3 === 1), ["TABLE_VALUE", "CACHE_VALUE", "CACHE_VALUE"]);
  assert.equal(store.cache.stats().entries, 0);
});

test("the metrics name each table and count the cache's evictions", () => {
  const store = new SharedStore(settings, () => 0);
  store.serve({ type: "store", n: 4, ops: [OP.TABLE_INCR, "t", "a", "n", 1, OP.CACHE_SET, "a", "1", 0, OP.CACHE_SET, "b", "1", 0, OP.CACHE_SET, "c", "1", 0] });
  const lines: string[] = [];
  storeMetricLines(store.metrics(), (name, type) => lines.push(`# TYPE ${name} ${type}`), lines);
  assert.ok(lines.includes('lsky_table_rows{table="t"} 1'));
  assert.ok(lines.includes('lsky_table_size{table="t"} 2'));
  assert.ok(lines.includes("lsky_cache_evictions_total 1"));
  assert.ok(lines.includes("lsky_cache_entries 2"));
});
