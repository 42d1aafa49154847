import assert from "node:assert/strict";
import { after, test } from "node:test";
import { join } from "node:path";
import { describeTargets } from "./harness/describe-targets.ts";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { FIXTURES } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(killAll);

const DIR = join(FIXTURES, "tables");

interface Answer {
  worker: number;
  result?: unknown;
  error?: { code: string; message: string };
}

describeTargets("shared tables and cache", { binaryStandsForBun: true }, (target) => {
  let server: LskyProcess;
  let admin: string;
  const call = async (path: string, params: Record<string, unknown> = {}): Promise<Answer> => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) query.set(name, typeof value === "string" && !["row", "value", "by", "ttl"].includes(name) ? value : JSON.stringify(value));
    const response = await fetch(`${server.url}${path}?${query}`, { signal: AbortSignal.timeout(300_000) });
    assert.equal(response.status, 200, path);
    return await response.json() as Answer;
  };
  const result = async (path: string, params: Record<string, unknown> = {}) => {
    const answer = await call(path, params);
    assert.equal(answer.error, undefined, `${path} ${JSON.stringify(params)} failed: ${JSON.stringify(answer.error)}`);
    return answer.result;
  };
  const failure = async (path: string, params: Record<string, unknown>) => (await call(path, params)).error?.code;

  test("starts with the tables and cache of lsky.config.ts", async () => {
    const adminPort = await freePort();
    admin = `http://127.0.0.1:${adminPort}`;
    server = await startLsky(target, ["--workers", "2", "--task-workers", "2", "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`], { cwd: DIR });
  });

  test("rows: set writes the columns given, get reads them back typed, incr adds, del removes", async () => {
    const stats = { table: "stats" };
    assert.equal(await result("/get", { ...stats, key: "a" }), "(undefined)");
    assert.equal(await result("/set", { ...stats, key: "a", row: { hits: 3, name: "bob" } }), "(undefined)");
    assert.deepEqual(await result("/ctx/get", { ...stats, key: "a" }), { hits: 3, score: 0, name: "bob" });
    assert.equal(await result("/incr", { ...stats, key: "a", column: "hits" }), 4);
    assert.equal(await result("/ctx/incr", { ...stats, key: "a", column: "score", by: 0.25 }), 0.25);
    assert.equal(await result("/incr", { ...stats, key: "b", column: "hits", by: -2 }), -2);
    assert.equal(await result("/count", stats), 2);
    assert.deepEqual(await result("/keys", stats), ["a", "b"]);
    assert.equal(await result("/del", { ...stats, key: "b" }), true);
    assert.equal(await result("/ctx/del", { ...stats, key: "b" }), false);
    assert.deepEqual(await result("/get", { ...stats, key: "a" }), { hits: 4, score: 0.25, name: "bob" });
  });

  test("every refusal has its code, and a refused set changes nothing", async () => {
    const stats = { table: "stats" };
    assert.equal(await failure("/get", { table: "nope", key: "a" }), "TABLE_UNKNOWN");
    assert.equal(await failure("/ctx/incr", { table: "nope", key: "a", column: "hits" }), "TABLE_UNKNOWN");
    assert.equal(await failure("/set", { ...stats, key: "a", row: { hits: 9, name: "much too long" } }), "TABLE_VALUE");
    assert.equal(await failure("/set", { ...stats, key: "a", row: { name: "ééééé" } }), "TABLE_VALUE");
    assert.equal(await failure("/set", { ...stats, key: "a", row: { hits: 1.5 } }), "TABLE_VALUE");
    assert.equal(await failure("/set", { ...stats, key: "a", row: { hits: "7" } }), "TABLE_VALUE");
    assert.equal(await failure("/set", { ...stats, key: "a", row: { colour: "red" } }), "TABLE_VALUE");
    assert.equal(await failure("/incr", { ...stats, key: "a", column: "name" }), "TABLE_VALUE");
    assert.equal(await failure("/incr", { ...stats, key: "a", column: "hits", by: 0.5 }), "TABLE_VALUE");
    assert.deepEqual(await result("/get", { ...stats, key: "a" }), { hits: 4, score: 0.25, name: "bob" });
    for (const key of ["b", "c", "d"]) await result("/set", { ...stats, key, row: { hits: 1 } });
    assert.equal(await failure("/set", { ...stats, key: "e", row: { hits: 1 } }), "TABLE_FULL");
    assert.equal(await failure("/incr", { ...stats, key: "e", column: "hits" }), "TABLE_FULL");
    assert.equal(await result("/set", { ...stats, key: "d", row: { hits: 2 } }), "(undefined)");
  });

  test("incr from both workers at once: 100,000 increments, exact total", async () => {
    const ran = await result("/incr-everywhere", { table: "counters", key: "total", count: "50000" });
    assert.deepEqual(ran, [1, 2]);
    assert.deepEqual(await result("/get", { table: "counters", key: "total" }), { n: 100_000 });
  });

  test("incr from 2 HTTP workers and 2 task workers at once: 100,000 increments, exact total", async () => {
    const ran = await result("/incr-workers-and-tasks", { table: "pool", key: "total", count: "100000" });
    assert.deepEqual((ran as unknown[]).sort(), [1, 2, "task 1", "task 2"]);
    assert.deepEqual(await result("/get", { table: "pool", key: "total" }), { n: 100_000 });
  });

  test("a worker killed while sending writes leaves only whole rows", async () => {
    await fetch(`${server.url}/crash?count=40000`).catch(() => undefined);
    await server.waitForOutput(/worker \d .*(crashed|SIGKILL)/i);
    const keys = await waitFor("the rows table answering after the crash", async () => {
      const answer = await call("/keys", { table: "rows" }).catch(() => undefined);
      return answer?.result as string[] | undefined;
    });
    for (const key of keys) {
      const row = await result("/get", { table: "rows", key }) as { a: number; b: number; c: string };
      assert.equal(`r${row.a % 4096}`, key);
      assert.equal(row.b, row.a);
      assert.equal(row.c, `n${row.a}`);
    }
  });

  test("cache: values round-trip as JSON, incr is atomic, a cached null is not a miss", async () => {
    assert.equal(await result("/cache/set", { key: "obj", value: { a: [1, "two"] } }), "(undefined)");
    assert.deepEqual(await result("/ctx/cache/get", { key: "obj" }), { a: [1, "two"] });
    assert.equal(await result("/cache/set", { key: "nothing", value: null }), "(undefined)");
    assert.equal(await result("/cache/get", { key: "nothing" }), null);
    assert.equal(await result("/cache/get", { key: "never" }), "(undefined)");
    assert.equal(await result("/cache/incr", { key: "n" }), 1);
    assert.equal(await result("/ctx/cache/incr", { key: "n", by: 4 }), 5);
    assert.equal(await failure("/cache/incr", { key: "obj" }), "CACHE_VALUE");
    assert.equal(await result("/cache/delete", { key: "n" }), true);
    assert.equal(await result("/cache/delete", { key: "n" }), false);
  });

  test("cache: an entry past its TTL never comes back", async () => {
    await result("/cache/set", { key: "short", value: "x", ttl: "300ms" });
    await result("/cache/set", { key: "shortMs", value: "y", ttl: 300 });
    // Waits for the condition; the entries must not reappear afterwards either.
    await waitFor("the entries to expire", async () =>
      await result("/cache/get", { key: "short" }) === "(undefined)" && await result("/cache/get", { key: "shortMs" }) === "(undefined)");
    assert.equal(await result("/ctx/cache/get", { key: "short" }), "(undefined)");
    assert.equal(await result("/cache/incr", { key: "short" }), 1);
  });

  test("cache: past maxEntries the least recently used goes first, counted in /metrics; too large is refused", async () => {
    for (const key of ["k1", "k2", "k3"]) await result("/cache/set", { key, value: key });
    await result("/cache/get", { key: "k1" });
    await result("/cache/set", { key: "k4", value: "k4" });
    assert.equal(await result("/cache/get", { key: "k2" }), "(undefined)");
    assert.equal(await result("/cache/get", { key: "k1" }), "k1");
    const big = "x".repeat(300);
    assert.equal(await failure("/cache/set", { key: "big", value: big }), "CACHE_TOO_LARGE");
    assert.equal(await result("/cache/get", { key: "k1" }), "k1");
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1]);
    assert.ok(value("lsky_cache_evictions_total") >= 1, metrics);
    assert.equal(value("lsky_cache_entries"), 3);
    assert.ok(value("lsky_cache_expirations_total") >= 2);
    assert.match(metrics, /^lsky_table_rows\{table="counters"\} 1$/m);
    assert.match(metrics, /^lsky_table_size\{table="stats"\} 4$/m);
    const status = await runLsky(target, ["status", "--json", "--port", String(server.port)]);
    const store = (JSON.parse(status.stdout) as { store: { tables: { name: string; rows: number }[]; cache: { entries: number; evictions: number } } }).store;
    assert.deepEqual(store.tables.find((t) => t.name === "counters"), { name: "counters", rows: 1, size: 16 });
    assert.equal(store.cache.entries, 3);
    assert.ok(store.cache.evictions >= 1);
  });

  test("the dashboard's state has the task workers, the task queue, the tables and the cache", async () => {
    const state = await (await fetch(`${admin}/api/state`)).json() as {
      pools: { name: string; workers: { pid: number; state: string }[] }[];
      facilities: Record<string, unknown> & { tables: { name: string; rows: number; size: number }[]; tasks: { workers: number }; cache: { entries: number } };
    };
    const taskPool = state.pools.find((pool) => pool.name === "task");
    assert.equal(taskPool?.workers.filter((w) => w.state === "ready" && w.pid > 0).length, 2, JSON.stringify(state.pools));
    assert.deepEqual(state.facilities.tables.find((t) => t.name === "counters"), { name: "counters", rows: 1, size: 16 });
    assert.equal(state.facilities.tasks.workers, 2);
    assert.equal(state.facilities.cache.entries, 3);
    for (const unused of ["websockets", "schedule", "listeners", "cluster"]) assert.equal(state.facilities[unused], null, unused);
  });

  test("a reload replaces the workers and keeps every row and entry", async () => {
    const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
    assert.equal(reload.code, 0, reload.stderr);
    assert.deepEqual(await result("/get", { table: "counters", key: "total" }), { n: 100_000 });
    assert.equal(await result("/cache/get", { key: "k1" }), "k1");
  });

  test("stops cleanly", async () => {
    const exit = await server.stop();
    assert.equal(exit.code, 0, server.output());
  });
});
