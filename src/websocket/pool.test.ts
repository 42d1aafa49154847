import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyBus } from "../bus/app-api.ts";
import { ASK_NODE_TOPIC, SUM_NODES_TOPIC } from "../cluster/wire.ts";
import { LskyError } from "../errors.ts";
import { SocketHub } from "./host.ts";
import { joinPool } from "./pool.ts";

const POLICY = { wsMaxMessage: 16, wsIdleTimeout: 60_000, wsSendBuffer: 100, wsMaxConnections: 2, wsDrainPeriod: 0, wsDeflate: false };

/** A bus that records requests and answers them with `answer`. */
function fakeBus(answer: (target: number | "supervisor", topic: string, data: unknown) => unknown) {
  const requests: Array<[number | "supervisor", string, unknown]> = [];
  const bus = {
    workerId: 1,
    workers: () => [1, 2],
    publish: () => {},
    send: () => {},
    subscribe: () => () => {},
    handle: () => () => {},
    request: async (target: number | "supervisor", topic: string, data?: unknown) => {
      requests.push([target, topic, data]);
      return answer(target, topic, data);
    },
  } as unknown as LskyBus;
  return { bus, requests };
}

function pool(node: string | undefined, answer: Parameters<typeof fakeBus>[0]) {
  const hub = new SocketHub({ workerId: 1, incarnation: "abc", node, policy: POLICY, log: () => {} });
  const { bus, requests } = fakeBus(answer);
  return { sockets: joinPool(hub, bus), requests };
}

test("a cluster node sends to another node's connection through its supervisor", async () => {
  const { sockets, requests } = pool("a", () => true);
  await sockets.send("b~2-xyz-7", "hi");
  assert.deepEqual(requests, [["supervisor", ASK_NODE_TOPIC, { node: "b", worker: 2, topic: "lsky:ws:send", data: { id: "b~2-xyz-7", s: "hi" } }]]);
});

test("the same node's other worker is asked directly; an id of the wrong kind is gone at once", async () => {
  const { sockets, requests } = pool("a", () => true);
  await sockets.send("a~2-xyz-7", "hi");
  assert.equal(requests[0]![0], 2);
  await assert.rejects(sockets.send("2-xyz-7", "hi"), { code: "WS_GONE" });
  const standalone = pool(undefined, () => true);
  await assert.rejects(standalone.sockets.send("b~2-xyz-7", "hi"), { code: "WS_GONE" });
  assert.equal(requests.length + standalone.requests.length, 1);
});

test("a node that is gone or has no such worker: WS_GONE; a node too late: its BUS_TIMEOUT", async () => {
  assert.equal(await pool("a", () => undefined).sockets.close("b~2-xyz-7"), false);
  const noWorker = pool("a", () => Promise.reject(new LskyError("BUS_NO_WORKER", "no worker 2")));
  await assert.rejects(noWorker.sockets.send("b~2-xyz-7", "hi"), { code: "WS_GONE" });
  const late = pool("a", () => Promise.reject(new LskyError("BUS_TIMEOUT", "Node \"b\" did not answer")));
  await assert.rejects(late.sockets.send("b~2-xyz-7", "hi"), { code: "BUS_TIMEOUT" });
});

test("a count adds the other nodes' sum; a standalone count never asks the supervisor", async () => {
  const answer = (target: number | "supervisor") => (target === "supervisor" ? 10 : 2);
  const cluster = pool("a", answer);
  assert.equal(await cluster.sockets.count("room"), 12);
  assert.deepEqual(cluster.requests.at(-1), ["supervisor", SUM_NODES_TOPIC, { topic: "lsky:ws:count", data: { topic: "room" } }]);
  const standalone = pool(undefined, answer);
  assert.equal(await standalone.sockets.count("room"), 2);
  assert.ok(standalone.requests.every(([target]) => target !== "supervisor"));
});
