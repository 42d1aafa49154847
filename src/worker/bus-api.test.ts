import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BUS_MAX_MESSAGE_BYTES, type BusWorkerMessage } from "../bus/protocol.ts";
import { createWorkerBus } from "./bus-api.ts";

function setup(workerId = 1) {
  const sent: BusWorkerMessage[] = [];
  const logged: string[] = [];
  const worker = createWorkerBus({
    workerId,
    sendLine: (line) => (sent.push(JSON.parse(line) as BusWorkerMessage), true),
    log: (line) => void logged.push(line),
  });
  return { ...worker, sent, logged };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("worker bus API", () => {
  test("publish and send go to the supervisor with their address", () => {
    const { bus, sent } = setup();
    bus.publish("news", { a: 1 });
    bus.send(2, "direct", "hi");
    assert.deepEqual(sent, [
      { type: "publish", topic: "news", data: { a: 1 }, to: "*" },
      { type: "publish", topic: "direct", data: "hi", to: 2 },
    ]);
  });

  test("delivered messages reach every subscriber of their topic until it unsubscribes", () => {
    const { bus, receive } = setup();
    const seen: unknown[] = [];
    const off = bus.subscribe("t", (data, info) => void seen.push([data, info.from]));
    bus.subscribe("t", (data) => void seen.push(["second", data]));
    receive.deliver({ type: "deliver", topic: "t", data: 5, from: 2 });
    receive.deliver({ type: "deliver", topic: "other", data: 6, from: 2 });
    off();
    receive.deliver({ type: "deliver", topic: "t", data: 7, from: "supervisor" });
    assert.deepEqual(seen, [[5, 2], ["second", 5], ["second", 7]]);
  });

  test("a subscriber that throws is logged and does not stop the others", async () => {
    const { bus, receive, logged } = setup();
    let reached = false;
    bus.subscribe("t", () => {
      throw new Error("sync boom");
    });
    bus.subscribe("t", async () => {
      throw new Error("async boom");
    });
    bus.subscribe("t", () => void (reached = true));
    receive.deliver({ type: "deliver", topic: "t", from: 1 });
    await tick();
    assert.equal(reached, true);
    assert.equal(logged.length, 2);
    assert.match(logged.join("\n"), /bus subscriber for "t" failed: Error: sync boom/);
    assert.match(logged.join("\n"), /async boom/);
  });

  test("a request resolves with the reply carrying its id, or rejects with the reply's error code", async () => {
    const { bus, receive, sent } = setup();
    const answer = bus.request(2, "sum", [1, 2], { timeout: 1000 });
    const failing = bus.request("supervisor", "nope");
    type Sent = Extract<BusWorkerMessage, { type: "request" }>;
    const [first, second] = sent as [Sent, Sent];
    assert.deepEqual({ ...first, id: 0 }, { type: "request", id: 0, topic: "sum", data: [1, 2], to: 2, timeout: 1000 });
    assert.equal(second.timeout, 5000);
    receive.reply({ type: "reply", id: first.id, data: 3 });
    receive.reply({ type: "reply", id: second.id, error: { code: "BUS_NO_HANDLER", message: "no handler" } });
    assert.equal(await answer, 3);
    await assert.rejects(failing, { code: "BUS_NO_HANDLER", message: "no handler" });
  });

  test("a request with no reply times out with BUS_TIMEOUT", async () => {
    const { bus } = setup();
    await assert.rejects(bus.request(2, "slow", null, { timeout: 20 }), {
      code: "BUS_TIMEOUT",
      message: 'Request "slow" to worker 2 timed out after 20 ms',
    });
  });

  test("pending requests fail with BUS_DISCONNECTED when the supervisor is lost, and so do new ones", async () => {
    const { bus, disconnected } = setup();
    const pending = bus.request(2, "q");
    disconnected();
    await assert.rejects(pending, { code: "BUS_DISCONNECTED" });
    await assert.rejects(bus.request("supervisor", "ping"), { code: "BUS_DISCONNECTED" });
  });

  test("handlers answer requests; a missing handler or a throw becomes an error reply", async () => {
    const { bus, receive, sent } = setup(3);
    bus.handle("double", (data, info) => ({ value: (data as number) * 2, from: info.from }));
    bus.handle("broken", async () => {
      throw new Error("boom");
    });
    assert.throws(() => bus.handle("double", () => 0), /already registered/);
    receive.request({ type: "request", id: 10, topic: "double", data: 4, from: 1 });
    receive.request({ type: "request", id: 11, topic: "broken", from: "supervisor" });
    receive.request({ type: "request", id: 12, topic: "missing", from: 2 });
    await tick();
    const byId = new Map(sent.map((m) => [(m as { id: number }).id, m]));
    assert.deepEqual(byId.get(10), { type: "reply", id: 10, data: { value: 8, from: 1 } });
    assert.deepEqual(byId.get(11), {
      type: "reply", id: 11, error: { code: "BUS_HANDLER_FAILED", message: 'Worker 3 failed to handle "broken": boom' },
    });
    assert.deepEqual(byId.get(12), {
      type: "reply", id: 12, error: { code: "BUS_NO_HANDLER", message: 'Worker 3 has no handler for "missing"' },
    });
  });

  test("workers() reflects the supervisor's latest list", () => {
    const { bus, receive } = setup();
    assert.deepEqual(bus.workers(), []);
    receive.workers({ type: "workers", ids: [1, 2] });
    assert.deepEqual(bus.workers(), [1, 2]);
  });

  test("bad arguments and oversized messages throw before anything is sent", () => {
    const { bus, sent } = setup();
    assert.throws(() => bus.publish("", 1), TypeError);
    assert.throws(() => bus.send(0, "t"), TypeError);
    assert.throws(() => bus.request(2, "t", null, { timeout: -1 }), RangeError);
    assert.throws(() => bus.subscribe("t", "nope" as never), TypeError);
    assert.throws(() => bus.publish("big", "é".repeat(BUS_MAX_MESSAGE_BYTES / 2)), /over the limit of 1048576/);
    assert.throws(() => bus.publish("big", 1n), TypeError);
    assert.deepEqual(sent, []);
  });
});
