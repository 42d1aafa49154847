/// <reference types="bun-types" />
import type { EngineSocket, SocketHost, SocketSink, UpgradeSlot } from "../websocket/engine.ts";

interface SocketData {
  slot: UpgradeSlot;
  sink?: SocketSink;
}

type BunSocket = import("bun").ServerWebSocket<SocketData>;
type AnySocket = import("bun").ServerWebSocket<unknown>;

/** The handlers an app exports as `websocket` beside `fetch` (hono/bun's helper). */
export type AppSocketHandlers = Partial<Record<"open" | "message" | "close" | "drain" | "ping" | "pong", (ws: AnySocket, ...args: unknown[]) => unknown>>;

// lsky's own sockets, told apart from those the app upgraded itself through
// the server (hono/bun's upgradeWebSocket calls server.upgrade with its data).
const lskyData = new WeakSet<object>();
type BunServer = ReturnType<typeof Bun.serve>;

/**
 * Bun.serve's `websocket` option, from lsky's policy: Bun enforces the size
 * (1009) and keeps idle time with its own pings. lsky checks the send buffer
 * before its own sends (1013); a publish is fanned out by Bun, which checks
 * nothing per subscriber in JavaScript, so Bun drops a subscriber whose
 * buffer passes the cap plus one largest message (measured: 1006, no close
 * frame) rather than buffer without bound.
 */
export function bunWebSocketHandlers(host: SocketHost, app?: AppSocketHandlers, appSockets?: Set<AnySocket>): Record<string, unknown> {
  return routeToApp({
    maxPayloadLength: host.policy.wsMaxMessage,
    idleTimeout: Math.min(960, Math.max(1, Math.round(host.policy.wsIdleTimeout / 1000))),
    sendPings: true,
    // Bun takes a 32-bit integer here.
    backpressureLimit: Math.min(2 ** 31 - 1, host.policy.wsSendBuffer + host.policy.wsMaxMessage),
    closeOnBackpressureLimit: true,
    // ws.publish leaves the sender out, as lsky's ws.publish does.
    publishToSelf: false,
    perMessageDeflate: host.policy.wsDeflate,
    open(ws: BunSocket) {
      ws.binaryType = "arraybuffer";
      ws.data.sink = host.open(ws.data.slot, engineSocket(ws));
    },
    message(ws: BunSocket, message: string | ArrayBuffer) {
      ws.data.sink?.message(message);
    },
    pong(ws: BunSocket) {
      ws.data.sink?.alive();
    },
    close(ws: BunSocket, code: number, reason: string) {
      ws.data.sink?.closed(code, reason ?? "");
    },
  }, app, appSockets ?? new Set());
}

/** The app's `websocket` export when it has Bun's shape (an object with handlers). */
export function appSocketHandlers(value: unknown): AppSocketHandlers | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const handlers = value as AppSocketHandlers;
  return typeof handlers.open === "function" || typeof handlers.message === "function" ? handlers : undefined;
}

/**
 * Bun has one set of handlers per server: a socket the app upgraded itself
 * (not through lsky's slot) goes to the app's exported `websocket` handlers,
 * so `export default { fetch, websocket }` works as under Bun.serve. Those
 * sockets keep lsky's size and idle policy but are not in lsky's pool
 * (no ws.id, sockets.send, counters or 1012 on drain).
 */
function routeToApp(own: Record<string, unknown>, app: AppSocketHandlers | undefined, appSockets: Set<AnySocket>): Record<string, unknown> {
  if (!app) return own;
  const routed: Record<string, unknown> = { ...own };
  for (const event of ["open", "message", "close", "drain", "ping", "pong"] as const) {
    const mine = own[event] as ((ws: BunSocket, ...args: unknown[]) => void) | undefined;
    const theirs = app[event];
    routed[event] = (ws: AnySocket, ...args: unknown[]) => {
      if (lskyData.has(ws.data as object)) return mine?.(ws as BunSocket, ...args);
      // Kept so that a drain can close them: Bun's stop(false) waits for them.
      if (event === "open") appSockets.add(ws);
      if (event === "close") appSockets.delete(ws);
      return theirs?.call(app, ws, ...args);
    };
  }
  return routed;
}

// lsky's topics live apart from those of sockets the app upgraded itself
// (hono/bun), which share the server's topic space.
const ownTopic = (topic: string) => `lsky\u0000${topic}`;

function engineSocket(ws: BunSocket): EngineSocket {
  return {
    send: (frame) => void ws.send(frame),
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => ws.getBufferedAmount(),
    terminate: () => ws.terminate(),
    subscribe: (topic) => ws.subscribe(ownTopic(topic)),
    unsubscribe: (topic) => ws.unsubscribe(ownTopic(topic)),
    publish: (topic, frame) => void ws.publish(ownTopic(topic), frame),
  };
}

/** The worker's local fan-out becomes Bun's own: one call, C++ loops over the subscribers. */
export function fanOutThroughBun(server: BunServer, host: SocketHost): void {
  host.fanOutWith?.((topic, frame) => void server.publish(ownTopic(topic), frame));
}

/**
 * After the app answered a request that asked for a WebSocket: upgrade when
 * it accepted (Bun then answers 101 itself, and fetch returns nothing), or
 * send the app's own response.
 */
export function finishBunUpgrade(server: BunServer, request: Request, slot: UpgradeSlot, response: Response, host: SocketHost): Response | undefined {
  if (!slot.accepted) return response;
  const data: SocketData = { slot };
  lskyData.add(data);
  if (server.upgrade(request, { data })) return undefined;
  host.abandon(slot);
  return new Response("Bad WebSocket handshake\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The app's own sockets, closed with 1001 when the listener closes: Bun's
 * stop(false) waits for every open socket, so without this a drain lasted the
 * whole grace period and the clients then got Bun's 1001 anyway.
 */
export function closeAppSockets(sockets: Set<AnySocket>): void {
  for (const ws of sockets) ws.close(1001, "Server shutting down");
  sockets.clear();
}
