import assert from "node:assert/strict";
import { test } from "node:test";
import { CacheStore } from "./cache-store.ts";

function fakeClock() {
  const clock = { now: 1000, read: () => clock.now };
  return clock;
}

test("entries past their TTL never come back, by get, incr or delete, and are counted", () => {
  const clock = fakeClock();
  const cache = new CacheStore({ maxEntries: 10, maxBytes: 1000 }, clock.read);
  cache.set("a", '"x"', 100);
  cache.set("n", "5", 100);
  clock.now += 99;
  assert.equal(cache.getJson("a"), '"x"');
  clock.now += 1;
  assert.equal(cache.getJson("a"), undefined);
  assert.equal(cache.incr("n", 1), 1);
  assert.equal(cache.stats().expirations, 2);
  assert.equal(cache.delete("a"), false);
});

test("incr keeps the entry's TTL and refuses a value that is not a number", () => {
  const clock = fakeClock();
  const cache = new CacheStore({ maxEntries: 10, maxBytes: 1000 }, clock.read);
  cache.set("n", "1", 50);
  assert.equal(cache.incr("n", 2), 3);
  clock.now += 50;
  assert.equal(cache.getJson("n"), undefined);
  cache.set("s", '"text"', 0);
  assert.throws(() => cache.incr("s", 1), (e: { code?: string }) => e.code === "CACHE_VALUE");
  assert.equal(cache.getJson("s"), '"text"');
});

test("past maxEntries the least recently used entry is evicted first; a get counts as use", () => {
  const cache = new CacheStore({ maxEntries: 2, maxBytes: 1000 }, fakeClock().read);
  cache.set("a", "1", 0);
  cache.set("b", "2", 0);
  assert.equal(cache.getJson("a"), "1");
  cache.set("c", "3", 0);
  assert.equal(cache.getJson("b"), undefined);
  assert.equal(cache.getJson("a"), "1");
  assert.equal(cache.stats().evictions, 1);
});

test("past maxBytes entries are evicted until the new one fits; one that can never fit is refused and evicts nothing", () => {
  const cache = new CacheStore({ maxEntries: 100, maxBytes: 10 }, fakeClock().read);
  cache.set("a", "123", 0); // 4 bytes
  cache.set("b", "123", 0); // 8
  cache.set("c", "123", 0); // 12 > 10: a goes
  assert.deepEqual([cache.getJson("a"), cache.getJson("b"), cache.getJson("c")], [undefined, "123", "123"]);
  assert.throws(() => cache.set("d", '"0123456789"', 0), (e: { code?: string }) => e.code === "CACHE_TOO_LARGE");
  assert.equal(cache.stats().entries, 2);
  assert.equal(cache.stats().bytes, 8);
  assert.equal(cache.stats().evictions, 1);
});

test("keys and values are counted in UTF-8 bytes", () => {
  const cache = new CacheStore({ maxEntries: 100, maxBytes: 100 }, fakeClock().read);
  cache.set("é", '"€"', 0);
  assert.equal(cache.stats().bytes, 2 + 5);
});

test("a sweep removes expired entries nobody asked for", () => {
  const clock = fakeClock();
  const cache = new CacheStore({ maxEntries: 10, maxBytes: 1000 }, clock.read);
  cache.set("a", "1", 10);
  cache.set("b", "1", 0);
  clock.now += 10;
  cache.sweep();
  assert.deepEqual(cache.stats().entries, 1);
  assert.deepEqual(cache.stats().expirations, 1);
});
