/// <reference types="bun-types" />
import { listenError, UNIX_PEER } from "./listen-error.ts";
import { withConnectionClose } from "./connection-close.ts";
import { logEngineError } from "./engine-error.ts";
import { isSmallInMemory, LAST_PART_SECONDS, mayOutlastIdleTimer, paceBody } from "./send-pacing.ts";
import { heldBodyLength, recordBodies } from "./held-bodies.ts";
import { asksForWebSocket } from "../websocket/engine.ts";
import { appSocketHandlers, bunWebSocketHandlers, closeAppSockets, fanOutThroughBun, finishBunUpgrade } from "./bun-websocket.ts";
import type { EngineAdapter, FileResponseInit, HttpServer, RemoteAddr, ServeOptions } from "./types.ts";

const UNKNOWN_ADDR: RemoteAddr = { transport: "tcp", hostname: "", port: 0 };

// long: one Bun.serve call; its fetch, upgrade and finish steps share the server, the bindings and the timers, and apart they would pass all of them around
function serve(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose, limits } = options;
  recordBodies();
  const unknownPeer = options.unixPath ? UNIX_PEER : UNKNOWN_ADDR;
  const keepAliveSeconds = toBunSeconds(limits.keepAliveTimeout);
  const lastPartSeconds = Math.min(BUN_MAX_IDLE_SECONDS, keepAliveSeconds + LAST_PART_SECONDS);
  let server: ReturnType<typeof Bun.serve>;
  // One object for every request: what hono/bun's helpers read (c.env.server),
  // filled in once Bun.serve returned.
  const bindings: { server?: ReturnType<typeof Bun.serve> } = {};
  // Made once per server, not per request: the address reader and what runs
  // on each response.
  const peerOf = (request: Request): RemoteAddr => {
    const ip = server.requestIP(request);
    return ip ? { transport: "tcp", hostname: ip.address, port: ip.port } : unknownPeer;
  };
  const finish = (response: Response, request: Request, lifted: boolean): Response => {
    // Bun's timer also runs while a response streams: an event stream may
    // stay quiet for long; a large body is paced (send-pacing.ts); after a
    // lifted wait, the keep-alive time again. A small body in memory (most
    // answers) goes out at once: its headers are not even looked at.
    if (isSmallInMemory(response)) {
      if (lifted) setIdleTimeout(server, request, keepAliveSeconds);
    } else if (isEventStream(response)) setIdleTimeout(server, request, 0);
    // A file keeps sendfile: a download gets Bun's longest timer instead (a gap, docs/RELIABILITY.md).
    else if (fileBodies.has(response)) setIdleTimeout(server, request, BUN_MAX_IDLE_SECONDS);
    else if (mayOutlastIdleTimer(response)) response = paceBody(response, (last) => setIdleTimeout(server, request, last ? lastPartSeconds : 0));
    else if (lifted) setIdleTimeout(server, request, keepAliveSeconds);
    return shouldClose() ? withConnectionClose(response) : response;
  };
  // A request that asks for a WebSocket goes through the app like any other;
  // its context carries the slot that ctx.upgrade accepts.
  const sockets = options.websockets;
  const appSockets = new Set<import("bun").ServerWebSocket<unknown>>();
  const upgrade = async (request: Request) => {
    const slot = sockets!.slot(request.url);
    const response = await handler(request, options.context(peerOf, request, { server, upgrade: slot }));
    return finishBunUpgrade(server, request, slot, response, sockets!);
  };
  try {
    server = Bun.serve({
      ...listenOptions(options),
      // Bun's own cap sits just above lsky's, so a chunked body that crosses
      // the limit meets the limits stage first (413, the same as elsewhere).
      maxRequestBodySize: limits.maxBodySize + 65_536,
      // Bun's idle timeout covers keep-alive idle time but also a handler that
      // has not answered yet; it is lifted per request below while the app works.
      idleTimeout: keepAliveSeconds,
      ...(sockets ? { websocket: bunWebSocketHandlers(sockets, appSocketHandlers(options.appWebSocket), appSockets) } : {}),
      fetch(request) {
        if (sockets && asksForWebSocket(request.headers.get("upgrade"))) return upgrade(request);
        const result = handler(request, options.context(peerOf, request, bindings));
        if (!(result instanceof Promise)) return finish(result, request, false);
        // A slow handler is bounded by lsky's request timeout, not by Bun's idle timer.
        setIdleTimeout(server, request, 0);
        return result.then((response) => finish(response, request, true));
      },
      error(error) {
        logEngineError(error);
        return new Response(null, { status: 500 });
      },
    } as Parameters<typeof Bun.serve>[0]);
    bindings.server = server;
    if (sockets) fanOutThroughBun(server, sockets);
  } catch (error) {
    return Promise.reject(listenError(error, options));
  }
  return Promise.resolve(wrap(server, appSockets));
}

function listenOptions(options: ServeOptions): Record<string, unknown> {
  // Bun.serve speaks HTTP/2 when asked (`http2: true`, ALPN h2 then http/1.1).
  const tls = options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key }, http2: true } : {};
  if (options.unixPath) return { unix: options.unixPath, ...tls };
  // Workers share the port; the kernel balances connections between them.
  return { hostname: options.hostname, port: options.port, reusePort: true, ...tls };
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
}

/** Sets the connection's idle timer; a client already gone has none to set. */
function setIdleTimeout(server: ReturnType<typeof Bun.serve>, request: Request, seconds: number): void {
  try {
    server.timeout(request, seconds);
  } catch {
    // The connection closed while the app worked.
  }
}

/** Bun's idleTimeout is whole seconds, at most 255. */
const BUN_MAX_IDLE_SECONDS = 255;

function toBunSeconds(ms: number): number {
  return Math.min(BUN_MAX_IDLE_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

function wrap(server: ReturnType<typeof Bun.serve>, appSockets: Set<import("bun").ServerWebSocket<unknown>>): HttpServer {
  return {
    port: server.port ?? 0,
    // stop(false) stops the listener, closes idle connections and resolves
    // once in-flight requests (including streaming bodies) have finished.
    close: () => {
      const stopped = Promise.resolve(server.stop(false));
      closeAppSockets(appSockets);
      return stopped.then(() => undefined);
    },
    forceClose: () => void server.stop(true),
  };
}

// Responses whose body is a Bun.file larger than a socket buffer.
const fileBodies = new WeakSet<Response>();

// A Bun.file body (or a slice of one) is sent with sendfile, without copying
// the bytes through JavaScript; Bun sets Content-Length from it.
function fileResponse(path: string, init: FileResponseInit): Response {
  if (init.bodyless) return new Response(null, { status: init.status, headers: init.headers });
  const file = Bun.file(path);
  const body = init.range ? file.slice(init.range.start, init.range.end + 1) : file;
  const response = new Response(body, { status: init.status, headers: init.headers });
  if (body.size > 64 * 1024) fileBodies.add(response);
  return response;
}

export const bunAdapter: EngineAdapter = {
  engine: "bun",
  version: Bun.version,
  // Measured: Bun answers 431 to a head over 16 KiB, request line included.
  headCeiling: 16 * 1024,
  prechecks: false,
  serve,
  fileResponse,
  recordBodies,
  bodyLength: heldBodyLength,
};
