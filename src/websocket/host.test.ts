import assert from "node:assert/strict";
import { test } from "node:test";
import type { WebSocketSettings } from "../config/websocket-options.ts";
import type { LskyWebSocket } from "./app-api.ts";
import type { EngineSocket } from "./engine.ts";
import { SocketHub } from "./host.ts";
import type { Frame } from "./payload.ts";
import { ownerOf } from "./pool.ts";

const POLICY: WebSocketSettings = { wsMaxMessage: 16, wsIdleTimeout: 60_000, wsSendBuffer: 100, wsMaxConnections: 2, wsDrainPeriod: 0, wsDeflate: false };

class FakeEngine implements EngineSocket {
  sent: Frame[] = [];
  closedWith: [number, string] | undefined;
  buffered = 0;
  send(frame: Frame) {
    this.sent.push(frame);
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
  }
  bufferedAmount() {
    return this.buffered;
  }
  terminate() {}
}

function hub(policy: Partial<WebSocketSettings> = {}) {
  return new SocketHub({ workerId: 3, incarnation: "abc", policy: { ...POLICY, ...policy }, log: () => {} });
}

function open(h: SocketHub, events: object = {}) {
  const slot = h.slot("http://x/ws");
  const answer = h.accept(slot, events);
  assert.equal(answer.status, 200);
  const engine = new FakeEngine();
  const sink = h.open(slot, engine);
  const socket = [...h.local.values()].at(-1)!;
  return { engine, sink, socket };
}

test("ids carry the worker and its incarnation, and route back to the worker", () => {
  const h = hub();
  const { socket } = open(h);
  assert.equal(socket.id, "3-abc-1");
  assert.equal(ownerOf(socket.id), 3);
  assert.equal(ownerOf("nonsense"), undefined);
  assert.equal(ownerOf("3-abc"), undefined);
});

test("in a cluster, ids also name the node, and still route back to the worker", () => {
  const h = new SocketHub({ workerId: 3, incarnation: "abc", node: "web-a", policy: POLICY, log: () => {} });
  const { socket } = open(h);
  assert.equal(socket.id, "web-a~3-abc-1");
  assert.equal(ownerOf(socket.id), 3);
});

test("a request that does not ask for a WebSocket gets 426; past the cap 503", () => {
  const h = hub();
  assert.equal(h.accept(undefined, {}).status, 426);
  open(h);
  open(h);
  assert.equal(h.accept(h.slot("http://x/ws"), {}).status, 503);
  assert.equal(h.stats.refused, 1);
});

test("publish reaches every subscriber but the publisher, and the other workers once", () => {
  const h = hub();
  const forwarded: unknown[] = [];
  h.forward = (topic, frame, except) => forwarded.push([topic, frame, except]);
  const a = open(h);
  const b = open(h);
  a.socket.subscribe("t");
  b.socket.subscribe("t");
  a.socket.publish("t", "hi");
  assert.deepEqual(a.engine.sent, []);
  assert.deepEqual(b.engine.sent, ["hi"]);
  assert.deepEqual(forwarded, [["t", "hi", a.socket.id]]);
});

test("a message over the limit closes with 1009 and never reaches the app", () => {
  const h = hub();
  const seen: unknown[] = [];
  const { sink, engine } = open(h, { onMessage: (event: { data: unknown }) => seen.push(event.data) });
  sink.message("small");
  sink.message("x".repeat(17));
  assert.deepEqual(seen, ["small"]);
  assert.deepEqual(engine.closedWith, [1009, "message too big"]);
});

test("a client past its send buffer is closed with 1013 and counted", () => {
  const h = hub();
  const { socket, engine } = open(h);
  engine.buffered = 101;
  socket.send("x");
  assert.deepEqual(engine.sent, []);
  assert.equal(engine.closedWith?.[0], 1013);
  assert.equal(h.stats.overflows, 1);
});

test("close runs onClose once, forgets the socket and its topics, counts the code", () => {
  const h = hub();
  const closes: number[] = [];
  const { socket, sink } = open(h, { onClose: (event: { code: number }, ws: LskyWebSocket) => closes.push(event.code, ws.readyState) });
  socket.subscribe("t");
  sink.closed(1000, "");
  sink.closed(1000, "");
  assert.deepEqual(closes, [1000, 3]);
  assert.equal(h.count(), 0);
  assert.equal(h.count("t"), 0);
  assert.equal(h.stats.closesByCode[1000], 1);
});

test("drain refuses upgrades at once and closes with 1012 on restart, 1001 on stop", async () => {
  for (const [restart, code] of [[true, 1012], [false, 1001]] as const) {
    const h = hub();
    const { engine, sink } = open(h);
    const drained = h.drain(restart, 0);
    assert.equal(h.accept(h.slot("http://x/ws"), {}).status, 503);
    assert.equal(engine.closedWith?.[0], code);
    sink.closed(code, "");
    await drained;
  }
});

test("a throwing handler is reported and goes to onError", () => {
  const errors: unknown[] = [];
  const h = new SocketHub({ workerId: 1, incarnation: "a", policy: POLICY, log: () => {} });
  const slot = h.slot("http://x/ws");
  h.accept(slot, { onMessage: () => { throw new Error("boom"); }, onError: (event: { error?: unknown }) => void errors.push(event.error) });
  h.open(slot, new FakeEngine()).message("x");
  assert.equal((errors[0] as Error).message, "boom");
});

/** An engine with its own pub/sub (Bun's): the host must go through it, never loop. */
type Opened = { engine: FanOutEngine; socket: ReturnType<SocketHub["local"]["get"]> & object };

class FanOutEngine extends FakeEngine {
  topics = new Set<string>();
  published: [string, Frame][] = [];
  subscribe(topic: string) {
    this.topics.add(topic);
  }
  unsubscribe(topic: string) {
    this.topics.delete(topic);
  }
  publish(topic: string, frame: Frame) {
    this.published.push([topic, frame]);
  }
}

test("with an engine fan-out, a publish is one engine call: the sender's own (it leaves the sender out) or the server's", () => {
  const h = hub({ wsMaxConnections: 10 });
  const serverPublishes: [string, Frame][] = [];
  h.fanOutWith((topic, frame) => serverPublishes.push([topic, frame]));
  const forwarded: unknown[] = [];
  h.forward = (topic, _frame, exceptId) => forwarded.push([topic, exceptId]);
  const [first, second, third] = [0, 1, 2].map(() => {
    const slot = h.slot("http://x/ws");
    h.accept(slot, {});
    const engine = new FanOutEngine();
    h.open(slot, engine);
    return { engine, socket: [...h.local.values()].at(-1)! };
  }) as [Opened, Opened, Opened];
  for (const { socket } of [first, second, third]) socket.subscribe("room");
  assert.deepEqual([...first.engine.topics], ["room"]);

  first.socket.publish("room", "hi");
  assert.deepEqual(first.engine.published, [["room", "hi"]]);
  assert.deepEqual(serverPublishes, []);
  assert.equal(second.engine.sent.length, 0, "no per-subscriber send from JavaScript");
  assert.equal(h.stats.messagesOut, 2);
  assert.deepEqual(forwarded, [["room", first.socket.id]]);

  // From the bus or sockets.publish: the server's fan-out, to all three.
  h.publishLocal("room", "all", "9-other-1");
  assert.deepEqual(serverPublishes, [["room", "all"]]);
  assert.equal(h.stats.messagesOut, 5);

  // Nobody subscribed here: no engine call at all.
  h.publishLocal("empty", "x", undefined);
  assert.equal(serverPublishes.length, 1);

  third.socket.unsubscribe("room");
  assert.deepEqual([...third.engine.topics], []);
  assert.equal(h.count("room"), 2);
});
