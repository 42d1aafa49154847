import assert from "node:assert/strict";
import { test } from "node:test";
import { LskyError } from "../errors.ts";
import { ClusterBus, type LocalWorkers, MAX_BATCH_CHARS } from "./cluster-bus.ts";

/** An in-memory Redis pub/sub: PUBLISH reaches the subscribers of a channel, a microtask later. */
class FakeRedis {
  up = true;
  readonly sent: Array<{ channel: string; text: string }> = [];
  readonly #subscribers = new Map<string, Set<ClusterBus>>();
  join(bus: ClusterBus): void {
    for (const channel of bus.channels) {
      const set = this.#subscribers.get(channel) ?? new Set();
      set.add(bus);
      this.#subscribers.set(channel, set);
    }
  }
  transport() {
    return {
      isUp: () => this.up,
      publish: async (channel: string, text: string) => {
        if (!this.up) throw new Error("Connection is closed.");
        this.sent.push({ channel, text });
        const set = [...(this.#subscribers.get(channel) ?? [])];
        queueMicrotask(() => set.forEach((bus) => bus.receive(text)));
        return set.length;
      },
    };
  }
}

interface FakeWorkers extends LocalWorkers {
  delivered: Array<[string, unknown]>;
}

function workers(answer: (worker: number, topic: string, data: unknown) => unknown = () => 0, ids = [1, 2]): FakeWorkers {
  const delivered: Array<[string, unknown]> = [];
  return {
    delivered,
    deliver: (topic, data) => void delivered.push([topic, data]),
    ask: async (worker, topic, data) => answer(worker, topic, data),
    workerIds: () => ids,
  };
}

function node(redis: FakeRedis, name: string, local: LocalWorkers, timers?: Array<() => void>) {
  const turn: Array<() => void> = [];
  const bus = new ClusterBus({
    node: name, prefix: "lsky", transport: redis.transport(), local, askTimeout: 5000, sumWait: 1000,
    later: (action) => void turn.push(action),
    schedule: (_ms, action) => (timers?.push(action), () => {}),
  });
  redis.join(bus);
  return { bus, endTurn: () => turn.splice(0).forEach((action) => action()) };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

test("one loop turn's publishes go out as one Redis message and reach the other node, not the sender again", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  const bLocal = workers();
  node(redis, "b", bLocal);
  a.bus.publish("news", { n: 1 });
  a.bus.publish("lsky:ws:publish", { o: "a~1-x-", m: [] });
  assert.equal(redis.sent.length, 0);
  a.endTurn();
  await settled();
  assert.equal(redis.sent.length, 1);
  assert.deepEqual(bLocal.delivered, [["news", { n: 1 }], ["lsky:ws:publish", { o: "a~1-x-", m: [] }]]);
  assert.deepEqual(a.bus.counters, { messagesIn: 0, messagesOut: 2, dropped: 0 });
});

test("a large burst is cut into batches", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  const quarter = "x".repeat(MAX_BATCH_CHARS / 4);
  for (let i = 0; i < 5; i++) a.bus.publish("t", quarter);
  a.endTurn();
  assert.deepEqual(redis.sent.map(({ text }) => text.length < MAX_BATCH_CHARS + 100 && JSON.parse(text).m.length), [3, 2]);
  redis.sent.length = 0;
  a.bus.publish("small", 1);
  a.bus.publish("huge", "x".repeat(MAX_BATCH_CHARS));
  a.bus.publish("small", 2);
  a.endTurn();
  assert.deepEqual(redis.sent.map(({ text }) => JSON.parse(text).m.map((entry: { t: string }) => entry.t)), [["small"], ["huge"], ["small"]]);
});

test("while Redis is away publishes are dropped and counted, and sent again once it is back", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  const bLocal = workers();
  node(redis, "b", bLocal);
  redis.up = false;
  a.bus.publish("t", 1);
  a.bus.publish("t", 2);
  a.endTurn();
  assert.equal(a.bus.counters.dropped, 2);
  redis.up = true;
  a.bus.publish("t", 3);
  a.endTurn();
  await settled();
  assert.deepEqual(bLocal.delivered, [["t", 3]]);
});

test("an ask reaches the named node's worker and brings its answer back", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  node(redis, "b", workers((worker, topic, data) => ({ worker, topic, data })));
  assert.deepEqual(await a.bus.ask("b", 2, "lsky:ws:send", { id: "b~2-x-1" }), { worker: 2, topic: "lsky:ws:send", data: { id: "b~2-x-1" } });
  assert.equal(a.bus.waiting, 0);
});

test("an ask to a node nobody listens for resolves undefined (its connections are gone)", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  assert.equal(await a.bus.ask("nowhere", 1, "t", {}), undefined);
});

test("the other node's failure comes back with its code", async () => {
  const redis = new FakeRedis();
  const a = node(redis, "a", workers());
  node(redis, "b", workers(() => {
    throw new LskyError("BUS_NO_WORKER", "no such worker");
  }));
  await assert.rejects(a.bus.ask("b", 9, "t", {}), { code: "BUS_NO_WORKER" });
});

test("a node that never answers: BUS_TIMEOUT; Redis away: BUS_DISCONNECTED at once", async () => {
  const redis = new FakeRedis();
  const timers: Array<() => void> = [];
  const a = node(redis, "a", workers(), timers);
  node(redis, "b", workers(() => new Promise(() => {})));
  const asked = a.bus.ask("b", 1, "t", {});
  await settled();
  timers.forEach((fire) => fire());
  await assert.rejects(asked, { code: "BUS_TIMEOUT" });
  redis.up = false;
  await assert.rejects(a.bus.ask("b", 1, "t", {}), { code: "BUS_DISCONNECTED" });
});

test("a sum adds every other node's workers' answers; a silent node adds nothing when the wait ends", async () => {
  const redis = new FakeRedis();
  const timers: Array<() => void> = [];
  const a = node(redis, "a", workers(() => 100), timers);
  node(redis, "b", workers((worker) => worker * 10));
  node(redis, "c", workers(() => 5, [1]));
  assert.equal(await a.bus.sum("lsky:ws:count", {}), 10 + 20 + 5);
  node(redis, "silent", workers(() => new Promise(() => {})));
  const summed = a.bus.sum("lsky:ws:count", {});
  await settled();
  timers.splice(0).forEach((fire) => fire());
  assert.equal(await summed, 35);
  redis.up = false;
  assert.equal(await a.bus.sum("lsky:ws:count", {}), 0);
});
