import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { asksForWebSocket, type EngineSocket, type SocketHost, type UpgradeSlot } from "../websocket/engine.ts";
import { formatLogLine } from "../log.ts";
import type { RemoteAddr, ServeOptions } from "./types.ts";
import { fieldPairs } from "./raw-fields.ts";

const decoder = new TextDecoder();

/**
 * WebSockets on a node:http server (Node, and Deno's node:http) with the `ws`
 * package: node:http hands an upgrade request over as an "upgrade" event;
 * lsky runs it through the app first, then lets `ws` finish the handshake
 * when the app accepted, or writes the app's own response. `ws` enforces the
 * size (1009), masking (1002) and UTF-8 (1007); lsky pings idle sockets.
 */
export function acceptUpgrades(server: Server, options: ServeOptions, readAddress: (incoming: IncomingMessage) => RemoteAddr): boolean {
  const host = options.websockets;
  // Without a listener node:http answers an upgrade request as a plain request.
  if (!host) return false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: host.policy.wsMaxMessage, perMessageDeflate: host.policy.wsDeflate, clientTracking: false });
  server.on("upgrade", (incoming: IncomingMessage, socket: Duplex, head: Uint8Array) => {
    socket.on("error", () => socket.destroy());
    const request = upgradeRequest(incoming);
    if (!request) return writeResponse(socket, new Response(null, { status: 400 }));
    const slot = host.slot(request.url);
    const context = options.context(readAddress, incoming, { incoming, upgrade: slot });
    void Promise.resolve(options.handler(request, context)).then((response) => {
      if (!slot.accepted) return writeResponse(socket, response.status === 101 ? refuseEngineUpgrade() : response);
      if (socket.destroyed) return host.abandon(slot);
      wss.handleUpgrade(incoming, socket, head, (ws) => attach(ws, slot, host));
    }, () => socket.destroy());
  });
  return true;
}

function attach(ws: WebSocket, slot: UpgradeSlot, host: SocketHost): void {
  // Buffers, not ArrayBuffers: `ws` would copy every message into an
  // ArrayBuffer of its own; a text message is decoded from the Buffer as is
  // and only a binary one is copied out.
  ws.binaryType = "nodebuffer";
  const sink = host.open(slot, engineSocket(ws));
  ws.on("message", (data: Buffer, isBinary) => sink.message(isBinary ? toArrayBuffer(data) : data.toString("utf8")));
  ws.on("pong", () => sink.alive());
  ws.on("ping", () => sink.alive());
  // `ws` closes the connection itself on a protocol error (and reports the
  // code in "close"); the error event only needs a listener.
  ws.on("error", (error) => sink.error(error));
  ws.on("close", (code, reason) => sink.closed(code, decoder.decode(reason)));
}

function toArrayBuffer(data: Buffer): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function engineSocket(ws: WebSocket): EngineSocket {
  return {
    send: (frame) => ws.send(frame),
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => ws.bufferedAmount,
    ping: () => ws.ping(),
    terminate: () => ws.terminate(),
  };
}

let engineUpgradeReported = false;

/**
 * The app answered 101 itself: an engine helper (hono/deno's, which calls
 * Deno.upgradeWebSocket) made a handshake this server cannot carry out, since
 * node:http owns the connection. Without this the client got a 101 and then
 * a dead connection; now it gets a 500 and the log says, once, what to use.
 */
function refuseEngineUpgrade(): Response {
  if (!engineUpgradeReported) {
    engineUpgradeReported = true;
    const fix = "Deno" in globalThis
      ? 'use upgradeWebSocket from "lsky" (or ctx.upgrade), or leave out --deno-server node (Deno.serve, the default, completes it: --deno-server native)'
      : 'use upgradeWebSocket from "lsky" (or ctx.upgrade)';
    process.stderr.write(formatLogLine("error", `the app answered a WebSocket upgrade with its own 101 (an engine helper such as hono/deno's upgradeWebSocket), which this node:http server cannot complete: ${fix}`));
  }
  return new Response("WebSocket upgrade not supported by this server\n", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** The upgrade request as the app sees it; undefined when it is not a usable WebSocket request. */
function upgradeRequest(incoming: IncomingMessage): Request | undefined {
  const hostHeader = incoming.headers.host;
  if (incoming.method !== "GET" || !hostHeader || !asksForWebSocket(incoming.headers.upgrade)) return undefined;
  try {
    return new Request(`http://${hostHeader}${incoming.url ?? "/"}`, { method: "GET", headers: fieldPairs(incoming.rawHeaders) });
  } catch {
    return undefined;
  }
}

/** An upgrade the app did not accept gets the app's own response, then the connection closes. */
function writeResponse(socket: Duplex, response: Response): void {
  void response.arrayBuffer().then((body) => {
    const lines = [`HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`];
    response.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "connection" && name !== "transfer-encoding") lines.push(`${name}: ${value}`);
    });
    lines.push(`content-length: ${body.byteLength}`, "connection: close", "", "");
    socket.end(Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), Buffer.from(body)]));
  }, () => socket.destroy());
}
