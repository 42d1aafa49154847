import { getRequestListener } from "@hono/node-server";
import cluster from "node:cluster";
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { formatLogLine } from "../log.ts";
import { checkRawHead, markPrechecked, prechecked } from "../limits/prechecked.ts";
import { isRefusal } from "../limits/responses.ts";
import { listenError, UNIX_PEER } from "./listen-error.ts";
import { keepDenoHeaderDefaults } from "./deno-node-headers.ts";
import { recordBodies } from "./held-bodies.ts";
import { sendHeldBody } from "./node-held-send.ts";
import { fieldPairs } from "./raw-fields.ts";
import { keepResponseDefaults } from "./node-response-defaults.ts";
import type { DrainableServer } from "./drainable-server.ts";
import { ConnectionActivity } from "./connection-activity.ts";
import { createSecureNodeServer } from "./node-secure.ts";
import { acceptUpgrades } from "./node-websocket.ts";
import type { CloseOptions, EngineBindings, HttpServer, RemoteAddr, ServeOptions } from "./types.ts";

// How often a closing server sweeps connections that went idle after their
// last response, so a drain never waits for the keep-alive timeout.
const IDLE_SWEEP_MS = 50;
// How often a serving server notes which connections were active: a drain
// closes an idle connection at its margin or up to this much later.
const ACTIVITY_LOOK_MS = 1000;
// After a cluster worker's server closed, the primary may still have handed it
// a connection (a "newconn" message in flight). The worker declines it and the
// primary passes it to another worker, but only while the worker is alive: a
// worker that exits first leaves that connection hanging in the primary
// forever. Staying a moment longer lets those messages be answered.
const CLUSTER_LINGER_MS = 200;

export interface NodeHttpListen {
  /**
   * Bind with SO_REUSEPORT (Deno's node:http). Node workers are cluster
   * workers instead, whose `listen()` shares the supervisor's port.
   */
  reusePort: boolean;
  /**
   * Let @hono/node-server replace the global Request and Response with its
   * lighter classes (Node: what the app meets under @hono/node-server's own
   * serve()). Not on Deno: there the app would get a Response class other
   * than Deno's, with other defaults (a string body's content type, no
   * content-length: 0 on HEAD and redirects) and responses lsky would not
   * recognise as such.
   */
  overrideGlobalObjects: boolean;
}

// long: the node:http server and its listeners share the server, the drain state and the options; apart they would pass all of them around
/**
 * Serves with `node:http` and @hono/node-server's request listener, which
 * converts IncomingMessage/ServerResponse to and from Request/Response lazily
 * and without buffering bodies. Used by Node, and by Deno, whose node:http is
 * Node's own server on llhttp and so keeps the promises Deno.serve cannot
 * (header timeout, Connection: close, Host checks).
 */
export function serveNodeHttp(options: ServeOptions, how: NodeHttpListen): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  const readAddress = options.unixPath !== undefined ? () => UNIX_PEER : tcpAddressOf;
  // Node parses and dispatches pipelined requests before the response to the
  // first is sent. Once a response says Connection: close (a refusal, a
  // drain), whatever the client sent after it on that socket is never served.
  const closing = new WeakSet<object>();
  const settle = (incoming: IncomingMessage, outgoing: ServerResponse, response: Response): Response => {
    // A refusal is known by identity: reading every response's headers would
    // make @hono/node-server build the Headers it otherwise skips.
    if (shouldClose() || isRefusal(response)) {
      closing.add(incoming.socket);
      outgoing.shouldKeepAlive = false;
    }
    if (how.overrideGlobalObjects) {
      keepResponseDefaults(response);
      return response;
    }
    const sent = sendHeldBody(outgoing, response);
    if (sent) return sent;
    keepDenoHeaderDefaults(outgoing, response);
    return response;
  };
  // On Deno: responses record the body they were made with (sendHeldBody).
  if (!how.overrideGlobalObjects) recordBodies();
  const listener = getRequestListener((lightweight, env) => {
    const { incoming, outgoing } = env as { incoming: IncomingMessage; outgoing: ServerResponse };
    const request = how.overrideGlobalObjects ? lightweight : toEngineRequest(lightweight, incoming);
    const kind = prechecked(incoming);
    if (kind !== undefined) markPrechecked(request, kind);
    const result = handler(request, options.context(readAddress, incoming, env as EngineBindings));
    if (result instanceof Promise) return result.then((response) => settle(incoming, outgoing, response));
    return settle(incoming, outgoing, result);
  }, { overrideGlobalObjects: how.overrideGlobalObjects });
  const answer = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (closing.has(incoming.socket)) return;
    const refused = earlyRefusal(incoming);
    if (refused) {
      closing.add(incoming.socket);
      return refuse(outgoing, refused);
    }
    const checked = checkRawHead(incoming, options.limits);
    if ("status" in checked) {
      closing.add(incoming.socket);
      return refuse(outgoing, checked.status);
    }
    markPrechecked(incoming, checked.kind);
    void listener(incoming, outgoing);
  };
  // With TLS it is a node:http2 secure server that also speaks HTTP/1.1
  // (node-secure.ts); the limits stage keeps lsky's answers there.
  if (options.tls) {
    const secure = createSecureNodeServer(options.tls, listener);
    // Its HTTP/1.1 connections go through node:http's own connection
    // listener, which emits "upgrade" on this server as on a plain one.
    acceptUpgrades(secure as unknown as Server, options, readAddress);
    return listen(secure, options, how);
  }
  const server = createServer(serverOptions(options.limits), answer);
  // Node answers "100 Continue" by itself unless asked; a body that will be
  // refused is not invited.
  server.on("checkContinue", (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (Number(incoming.headers["content-length"] ?? 0) > options.limits.maxBodySize) {
      closing.add(incoming.socket);
      return refuse(outgoing, 413);
    }
    outgoing.writeContinue();
    answer(incoming, outgoing);
  });
  server.on("clientError", answerClientError);
  const activity = new ConnectionActivity(isAnswering);
  server.on("connection", (socket: Socket) => activity.opened(socket));
  // An upgraded connection belongs to the WebSocket hub, which closes it with
  // 1012 or 1001 after its own drain period, not as an idle HTTP connection.
  if (acceptUpgrades(server, options, readAddress)) server.on("upgrade", (incoming: IncomingMessage) => activity.forget(incoming.socket));
  // Above the limit, Node keeps parsing but drops the extra fields silently;
  // one more than the limit lets the limits stage see the excess and answer 431.
  server.maxHeadersCount = options.limits.maxHeaderCount + 1;
  return listen(server, options, how, activity);
}

/**
 * @hono/node-server hands over its lightweight Request, whose prototype is
 * the engine's Request but whose state lives elsewhere: with the engine's own
 * Request class left in place (Deno), `new Request(it, init)` (lsky's limits
 * stage, or the app's own code) fails after locking its body. The engine's
 * Request made from its parts is what the app gets under the engine directly.
 */
function toEngineRequest(lightweight: Request, incoming: IncomingMessage): Request {
  const hasBody = lightweight.method !== "GET" && lightweight.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: lightweight.method,
    headers: fieldPairs(incoming.rawHeaders),
    signal: lightweight.signal,
  };
  if (hasBody) {
    init.body = lightweight.body;
    init.duplex = "half";
  }
  return new Request(lightweight.url, init);
}

/** The response under way on a connection: node:http keeps it in `_httpMessage` until it has finished. */
function responseOn(connection: object): ServerResponse | undefined {
  return (connection as { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}

function isAnswering(connection: object): boolean {
  return responseOn(connection) !== undefined;
}

function listen(server: DrainableServer, options: ServeOptions, how: NodeHttpListen, activity?: ConnectionActivity): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, options)));
    const onListening = () => {
      // Once listening, an accept that fails (libuv reports EMFILE when its
      // spare-descriptor trick cannot help) is an 'error' event: unhandled,
      // it would end the worker. The worker's own probe names the cause.
      (server as DrainableServer & { on(event: "error", listener: (error: Error) => void): unknown }).on("error", noteAcceptError);
      const address = server.address();
      resolve(wrap(server, typeof address === "object" && address ? address.port : 0, activity));
    };
    if (options.unixPath) server.listen(options.unixPath, onListening);
    else server.listen({ port: options.port, host: options.hostname, ...(how.reusePort ? { reusePort: true } : {}) }, onListening);
  });
}

/**
 * Node's parser already refuses bad framing (400) and a header section that is
 * too big (431) or too slow (408). Its size limit covers the request line too,
 * so it is set above lsky's header and URL limits together: the limits stage
 * then tells a long URL (414) from big headers (431).
 */
function serverOptions(limits: ServeOptions["limits"]): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderSize + limits.maxUrlLength + 1024,
    // Host is checked in earlyRefusal, so that a refused request also stops
    // whatever was pipelined behind it (Node's own check does not).
    requireHostHeader: false,
    // A repeated Host arrives joined as "a, b".
    joinDuplicateHeaders: true,
    headersTimeout: limits.headerTimeout,
    // Body pauses are bounded by the limits stage (bodyTimeout); a whole-request
    // deadline would cut long uploads.
    requestTimeout: 0,
    keepAliveTimeout: limits.keepAliveTimeout,
    // Node checks the header deadline only this often (30 s by default, which
    // is why a slow client got its 408 after ~88 s): at most a second late.
    connectionsCheckingInterval: Math.min(1000, Math.max(100, limits.headerTimeout / 4)),
  };
}

/**
 * What must be refused before @hono/node-server builds a Request: a missing or
 * repeated Host (joined as "a, b", an invalid URL, which it answers with its
 * own 400 and keeps the connection), and a version lsky cannot see once it is
 * a Request (llhttp accepts "HTTP/2.0" on HTTP/1 framing).
 */
function earlyRefusal(incoming: IncomingMessage): number {
  if (incoming.httpVersionMajor !== 1) return 505;
  const host = incoming.headers.host;
  if (!host?.trim() || host.includes(",")) return 400;
  return 0;
}

// llhttp's error codes for a request it could not parse, and lsky's answer.
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_INVALID_VERSION: 505,
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

type ClientError = NodeJS.ErrnoException & { rawPacket?: Buffer };

/** Answers a request the parser refused, then closes: nothing more is read. */
function answerClientError(error: ClientError, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable || responseOn(socket)?.headersSent) {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[error.code ?? ""] ?? (unsupportedVersion(error.rawPacket) ? 505 : 400);
  const reason = STATUS_CODES[status] ?? "Error";
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

/**
 * Deno's node:http reports every parse error as HPE_ERROR; the request line
 * tells an unsupported version (none at all, as in HTTP/0.9, or HTTP/x.y other
 * than 1.0 and 1.1) from other malformed requests, as llhttp does for Node.
 */
function unsupportedVersion(raw: Buffer | undefined): boolean {
  if (!raw) return false;
  const parts = raw.toString("latin1").split("\r\n", 1)[0]!.split(" ");
  if (parts.length === 2) return true;
  const version = parts[2];
  return version !== undefined && version.startsWith("HTTP/") && !/^HTTP\/1\.[01]$/.test(version);
}

function refuse(outgoing: ServerResponse, status: number): void {
  const body = `${STATUS_CODES[status] ?? "Error"}\n`;
  outgoing.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
  outgoing.end(body);
}

function tcpAddressOf(incoming: IncomingMessage): RemoteAddr {
  const socket = incoming.socket;
  return { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
}

function wrap(server: DrainableServer, port: number, activity?: ConnectionActivity): HttpServer {
  const keepsIdleConnections = activity !== undefined && server instanceof NetServer;
  const looking = keepsIdleConnections ? setInterval(() => activity.look(), ACTIVITY_LOOK_MS) : undefined;
  looking?.unref();
  return {
    port,
    keepsIdleConnections,
    close: (options) => {
      clearInterval(looking);
      const closed = keepsIdleConnections && options
        ? closeAfterIdleMargin(server as DrainableServer & NetServer, activity!, options)
        : closeIdleNow(server);
      return closed.then(() => new Promise((resolve) => setTimeout(resolve, cluster.isWorker ? CLUSTER_LINGER_MS : 0)));
    },
    forceClose: () => server.closeAllConnections(),
  };
}

let acceptErrorLoggedAt = -Infinity;

function noteAcceptError(error: NodeJS.ErrnoException): void {
  if (error.code === "EMFILE" || error.code === "ENFILE") return;
  const now = Date.now();
  if (now - acceptErrorLoggedAt < 60_000) return;
  acceptErrorLoggedAt = now;
  process.stderr.write(formatLogLine("warn", `accepting a connection failed: ${error.message}`));
}

function closeIdleNow(server: DrainableServer): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Stops the listener only: node:http's own close() also closes every idle
 * connection at once, racing requests their clients are sending. Each
 * connection is closed once idle for the margin (activity decides); net's
 * close callback runs when the last one has gone.
 */
function closeAfterIdleMargin(server: DrainableServer & NetServer, activity: ConnectionActivity, options: CloseOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => activity.closeIdle(options.idleMargin), IDLE_SWEEP_MS);
    NetServer.prototype.close.call(server, () => {
      clearInterval(sweep);
      // node:http's close() also stops its header-timeout timer; the listener is already closed.
      server.close(() => {});
      resolve();
    });
  });
}

