import type { IncomingMessage, ServerResponse } from "node:http";
import { createSecureServer, type Http2Session } from "node:http2";
import type { Socket } from "node:net";
import type { DrainableServer } from "./drainable-server.ts";
import type { TlsFiles } from "./types.ts";

type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/**
 * HTTPS for Node: a `node:http2` secure server with `allowHTTP1`, so clients
 * that offer h2 by ALPN get HTTP/2 and the rest HTTP/1.1 on the same port.
 * @hono/node-server's listener handles both request kinds.
 *
 * An http2 server has no closeIdleConnections(), so this one keeps its own
 * books: HTTP/2 sessions are closed gracefully (GOAWAY, open streams finish),
 * HTTP/1.1 connections are closed once they carry no request.
 */
export function createSecureNodeServer(tls: TlsFiles, listener: Listener): DrainableServer {
  const server = createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, withHostHeader(listener) as never);
  const sessions = new Set<Http2Session>();
  const http1Active = new Map<Socket, number>();

  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  // A TLS connection that has not sent its first request yet is idle too.
  server.on("secureConnection", (socket: Socket & { alpnProtocol?: string | false }) => {
    if (socket.alpnProtocol === "h2" || http1Active.has(socket)) return;
    http1Active.set(socket, 0);
    socket.once("close", () => http1Active.delete(socket));
  });
  server.on("request", (incoming: { httpVersionMajor: number; socket: Socket }, outgoing: { once(e: "close", f: () => void): void }) => {
    if (incoming.httpVersionMajor >= 2) return;
    const socket = incoming.socket;
    if (!http1Active.has(socket)) socket.once("close", () => http1Active.delete(socket));
    http1Active.set(socket, (http1Active.get(socket) ?? 0) + 1);
    outgoing.once("close", () => http1Active.set(socket, (http1Active.get(socket) ?? 1) - 1));
  });

  // An upgraded connection belongs to the WebSocket hub, which closes it
  // with 1012 or 1001 after its own drain period: closing idle HTTP/1.1
  // connections must not cut it (node-websocket.ts listens on "upgrade" too).
  server.on("upgrade", (incoming: { socket: Socket }) => http1Active.delete(incoming.socket));

  const closeIdle = () => {
    for (const session of sessions) if (!session.closed) session.close();
    for (const [socket, active] of http1Active) if (active <= 0) socket.destroy();
  };
  return Object.assign(server, {
    closeIdleConnections: closeIdle,
    closeAllConnections: () => {
      for (const session of sessions) session.destroy();
      for (const socket of http1Active.keys()) socket.destroy();
    },
  }) as unknown as DrainableServer;
}

/**
 * HTTP/2 names the host in `:authority`, not in a Host header; the app (and
 * lsky's Host check, src/limits/) see it as Host, as HTTP/1.1 would send it.
 * @hono/node-server builds headers from rawHeaders, so it goes there.
 */
function withHostHeader(listener: Listener): Listener {
  return (incoming, outgoing) => {
    const authority = incoming.headers[":authority"];
    if (incoming.headers.host === undefined && typeof authority === "string") {
      incoming.headers.host = authority;
      incoming.rawHeaders.push("host", authority);
    }
    listener(incoming, outgoing);
  };
}
