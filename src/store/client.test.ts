import assert from "node:assert/strict";
import { test } from "node:test";
import { StoreClient } from "./client.ts";
import { SharedStore } from "./shared-store.ts";

/** A client wired to a store as the bus would: each line parsed, served, answered on a later turn. */
function connected(options: { tables?: Record<string, { size: number; columns: Record<string, "int" | "float" | `string:${number}`> }> } = {}) {
  const store = new SharedStore({
    tables: options.tables ?? { stats: { size: 3, columns: { hits: "int", name: "string:4" } } },
    cacheMaxEntries: 10, cacheMaxBytes: 100,
  }, () => 0);
  const lines: string[] = [];
  const client: StoreClient = new StoreClient((line) => {
    lines.push(line);
    const reply = store.serve(JSON.parse(line));
    setImmediate(() => client.receive(JSON.parse(reply)));
    return true;
  });
  return { client, lines, store };
}

const code = (c: string) => (error: unknown) => (error as { code?: string }).code === c;

test("calls made in one turn go out as one line and each gets its own result, in order", async () => {
  const { client, lines } = connected();
  const stats = client.table("stats");
  const results = await Promise.all([
    stats.set("a", { hits: 1 }), stats.incr("a", "hits"), stats.incr("a", "hits", 5), stats.get("a"), stats.get("nope"),
    stats.count(), stats.keys(), stats.del("a"), stats.del("a"),
  ]);
  assert.equal(lines.length, 1);
  assert.deepEqual(results, [undefined, 2, 7, { hits: 7, name: "" }, undefined, 1, ["a"], true, false]);
});

test("a failing call rejects with its code while the others in its batch succeed", async () => {
  const { client } = connected();
  const stats = client.table("stats");
  const [ok, tooLong, unknown, wrongType, after] = await Promise.allSettled([
    stats.set("a", { name: "abc" }), stats.set("a", { name: "abcde" }), client.table("nope").get("a"),
    stats.incr("a", "hits", 0.5), stats.get("a"),
  ]);
  assert.equal(ok.status, "fulfilled");
  assert.ok(tooLong.status === "rejected" && code("TABLE_VALUE")(tooLong.reason));
  assert.ok(unknown.status === "rejected" && code("TABLE_UNKNOWN")(unknown.reason));
  assert.ok(wrongType.status === "rejected" && code("TABLE_VALUE")(wrongType.reason));
  assert.deepEqual(after.status === "fulfilled" && after.value, { hits: 0, name: "abc" });
});

test("what JSON cannot carry is refused before it is sent, never mangled", async () => {
  const { client, lines } = connected();
  const stats = client.table("stats");
  await assert.rejects(stats.set("a", { hits: NaN }), code("TABLE_VALUE"));
  await assert.rejects(stats.set("a", { hits: undefined }), code("TABLE_VALUE"));
  await assert.rejects(stats.set("a", { hits: 1n as unknown as number }), code("TABLE_VALUE"));
  await assert.rejects(stats.incr("a", "hits", Infinity), code("TABLE_VALUE"));
  await assert.rejects(stats.get(5 as unknown as string), TypeError);
  await assert.rejects(stats.get("k".repeat(513)), RangeError);
  await assert.rejects(client.cache.set("a", undefined), TypeError);
  await assert.rejects(client.cache.set("a", 1, { ttl: "30" }), RangeError);
  assert.equal(lines.length, 0);
});

test("the cache tells a cached null from a missing key, and takes ttl as ms or a duration", async () => {
  const { client } = connected();
  await client.cache.set("null", null);
  await client.cache.set("obj", { a: [1, "two"] }, { ttl: "30s" });
  assert.equal(await client.cache.get("null"), null);
  assert.equal(await client.cache.get("missing"), undefined);
  assert.deepEqual(await client.cache.get("obj"), { a: [1, "two"] });
  assert.equal(await client.cache.incr("n"), 1);
  assert.equal(await client.cache.incr("n", 2.5), 3.5);
  assert.equal(await client.cache.delete("n"), true);
  await assert.rejects(client.cache.set("big", "x".repeat(200)), code("CACHE_TOO_LARGE"));
});

test("losing the connection fails every call in flight and every later call", async () => {
  const { client } = connected();
  const pending = client.table("stats").get("a");
  client.disconnected();
  await assert.rejects(pending, code("BUS_DISCONNECTED"));
  await assert.rejects(client.cache.get("a"), code("BUS_DISCONNECTED"));
  // A reply that was already on its way has no call left to settle: ignored, not a crash.
  assert.doesNotThrow(() => client.receive({ type: "store-reply", r: [1, 2] }));
});

test("thousands of calls in flight across many batches all settle, with the exact total", async () => {
  const { client, lines } = connected({ tables: { c: { size: 1, columns: { n: "int" } } } });
  const counter = client.table("c");
  let issued = 0;
  const lane = async () => {
    while (issued < 20_000) {
      issued++;
      await counter.incr("k", "n");
    }
  };
  await Promise.all(Array.from({ length: 100 }, lane));
  assert.deepEqual(await counter.get("k"), { n: 20_000 });
  assert.ok(lines.length < 20_000 / 10, `${lines.length} lines for 20000 calls`);
});
