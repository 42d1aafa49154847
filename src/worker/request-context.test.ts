import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyBus } from "../bus/app-api.ts";
import type { WebSocketSettings } from "../config/websocket-options.ts";
import type { RemoteAddr } from "../runtime/types.ts";
import type { Sockets } from "../websocket/app-api.ts";
import { SocketHub } from "../websocket/host.ts";
import { contextShared, RequestContext } from "./request-context.ts";

const POLICY: WebSocketSettings = { wsMaxMessage: 16, wsIdleTimeout: 60_000, wsSendBuffer: 100, wsMaxConnections: 2, wsDrainPeriod: 0, wsDeflate: false };
const BUS = { publish() {} } as unknown as LskyBus;
const PEER: RemoteAddr = { transport: "tcp", hostname: "192.0.2.7", port: 4000 };
const REQUEST = new Request("http://x/ws");

function withSockets() {
  const hub = new SocketHub({ workerId: 1, incarnation: "t", policy: POLICY, log: () => {} });
  const sockets = { send() {} } as unknown as Sockets;
  return { hub, shared: contextShared(BUS, { hub, sockets }) };
}

test("the engine's peer is read once, on first use, and the proxy stage's address replaces it", () => {
  let reads = 0;
  const context = new RequestContext(() => (reads++, PEER), "source", contextShared(BUS));
  assert.equal(reads, 0);
  assert.equal(context.remoteAddr.hostname, "192.0.2.7");
  assert.equal(context.remoteAddr.port, 4000);
  assert.equal(reads, 1);
  context.remoteAddr = { transport: "tcp", hostname: "203.0.113.9", port: 0 };
  assert.equal(context.remoteAddr.hostname, "203.0.113.9");
  assert.equal(reads, 1);
});

test("every context of a worker shares its bus, sockets and engine bindings as plain fields", () => {
  const { shared } = withSockets();
  const server = { name: "engine server" };
  const context = new RequestContext(() => PEER, undefined, shared, { server });
  assert.equal(context.bus, BUS);
  assert.equal(context.sockets, shared.sockets);
  assert.equal(context.server, server);
  assert.deepEqual(Object.keys({ ...context }).sort(), ["bus", "cache", "incoming", "outgoing", "server", "sockets", "table", "tasks", "upgrade"]);
});

test("upgrade without a slot answers 426, and a copy of the context made with a spread answers the same", () => {
  const { shared } = withSockets();
  const context = new RequestContext(() => PEER, undefined, shared);
  assert.equal(context.upgrade(REQUEST, {}).status, 426);
  const copy = { ...context, extra: true };
  assert.equal(copy.upgrade(REQUEST, {}).status, 426);
  // One function for every request that does not ask for a WebSocket.
  assert.equal(new RequestContext(() => PEER, undefined, shared).upgrade, context.upgrade);
});

test("upgrade with the request's slot accepts it, from the context or from a copy of it", () => {
  const { hub, shared } = withSockets();
  const slot = hub.slot("http://x/ws");
  const copy = { ...new RequestContext(() => PEER, undefined, shared, { upgrade: slot }) };
  assert.equal(copy.upgrade(REQUEST, {}).status, 200);
  assert.equal(slot.accepted, true);
});

test("upgrade in a worker without WebSockets throws a clear error", () => {
  const context = new RequestContext(() => PEER, undefined, contextShared(BUS));
  assert.throws(() => context.upgrade(REQUEST, {}), /WebSockets are not available in this worker/);
});
