import { listenError, UNIX_PEER } from "./listen-error.ts";
import { withConnectionClose } from "./connection-close.ts";
import { logEngineError } from "./engine-error.ts";
import { asksForWebSocket } from "../websocket/engine.ts";
import { finishDenoUpgrade } from "./deno-websocket.ts";
import { DenoRequestGuard } from "./deno-request-guard.ts";
import { heldBodyLength, recordBodies } from "./held-bodies.ts";
import { replaceDenoUrl } from "./deno-request-url.ts";
import { checkedHeaderFields, checkedUpgrade } from "./deno-head.ts";
import { exactText } from "./exact-text.ts";
import type { EngineAdapter, FetchHandler, FileResponseInit, HttpServer, RemoteAddr, ServeOptions } from "./types.ts";

declare const Deno: any;

async function serve(options: ServeOptions): Promise<HttpServer> {
  if (usesNativeServer(options)) return serveNative(options);
  const { serveNodeHttp } = await import("./node-http.ts");
  return serveNodeHttp(options, { reusePort: true, overrideGlobalObjects: false });
}

/**
 * Deno.serve serves by default (`--deno-server native`), and always for TLS
 * and Unix sockets: Deno's node:http served about a third as many requests
 * (docs/BENCHMARKS.md). node:http, Node's own server, serves when asked
 * (`--deno-server node`) and keeps the promises Deno.serve cannot: a header
 * and a keep-alive timeout, closing the connection after a refusal.
 */
export function usesNativeServer(options: Pick<ServeOptions, "denoServer" | "tls" | "unixPath">): boolean {
  return options.denoServer === "native" || options.tls !== undefined || options.unixPath !== undefined;
}

function serveNative(options: ServeOptions): Promise<HttpServer> {
  const { shouldClose } = options;
  const handler = options.unixPath ? withHttpScheme(options.handler)
    : options.tls ? withHostHeader(options.handler)
    : options.handler;
  const abort = new AbortController();
  // The app answers first; the original request is the one Deno can upgrade.
  const sockets = options.websockets;
  const upgrade = async (request: Request, info: DenoServeInfo) => {
    const slot = sockets!.slot(request.url);
    const response = await handler(request, options.context(peerOf, info, { upgrade: slot }));
    return finishDenoUpgrade(request, slot, response, sockets!);
  };
  // Over TCP the head is checked on Deno's raw fields; TLS and Unix sockets
  // pass a rebuilt request on, which the limits stage checks.
  const guard = options.unixPath || options.tls ? undefined : new DenoRequestGuard(options.limits);
  let server: any;
  try {
    server = Deno.serve({
      ...listenOptions(options),
      signal: abort.signal,
      onListen: () => {}, // lsky prints its own start line
      onError: (error: unknown) => {
        logEngineError(error);
        return new Response(null, { status: 500 });
      },
      handler(request: Request, info: DenoServeInfo) {
        // The head first, a handshake's too: the guard reads Upgrade without request.headers.
        const refused = guard?.check(request, info);
        if (refused) return refused;
        if (sockets && asksForWebSocket(upgradeField(request))) return upgrade(request, info);
        let result = handler(request, options.context(peerOf, info));
        if (guard) result = result instanceof Promise ? result.then((response) => guard.settle(response, info)) : guard.settle(result, info);
        if (!shouldClose()) return result;
        return result instanceof Promise ? result.then(withConnectionClose) : withConnectionClose(result);
      },
    });
  } catch (error) {
    return Promise.reject(listenError(error, options));
  }
  // Deno.serve's accept loop ends for good when accept fails (out of
  // descriptors, say) and `finished` rejects: left alone, that kills the worker.
  void server.finished.catch((error: unknown) => options.onAcceptFailed?.(error));
  return Promise.resolve(wrap(server, options.unixPath ? 0 : server.addr.port, abort));
}

function upgradeField(request: Request): string | null {
  const checked = checkedUpgrade(request);
  return checked === undefined ? request.headers.get("upgrade") : checked;
}

interface DenoServeInfo {
  remoteAddr: { transport: string; hostname: string; port: number };
}

function peerOf(info: DenoServeInfo): RemoteAddr {
  const { transport, hostname, port } = info.remoteAddr;
  return transport === "unix" ? UNIX_PEER : { transport: "tcp", hostname, port };
}

function listenOptions(options: ServeOptions): Record<string, unknown> {
  // With cert and key Deno.serve negotiates HTTP/2 or HTTP/1.1 by ALPN.
  const tls = options.tls ? { cert: options.tls.cert, key: options.tls.key } : {};
  if (options.unixPath) return { path: options.unixPath, transport: "unix", ...tls };
  // reusePort needs --unstable-net, which lsky passes when it launches a Deno worker.
  return { hostname: options.hostname, port: options.port, reusePort: true, ...tls };
}

/**
 * HTTP/2 requests carry the host in `:authority`, which Deno puts in the URL
 * but not in a Host header; the app (and lsky's Host check) see it as Host, as
 * an HTTP/1.1 client would send it. The body stream is passed on unread.
 */
function withHostHeader(handler: FetchHandler): FetchHandler {
  return (request, context) => {
    if (request.headers.has("host")) return handler(request, context);
    const headers = new Headers(request.headers);
    headers.set("host", new URL(request.url).host);
    const init = { method: request.method, headers, body: request.body, duplex: "half", signal: request.signal };
    return handler(new Request(request.url, init as RequestInit), context);
  };
}

/**
 * Deno names requests on a Unix socket `http+unix://host/path`; apps (and
 * routers matching on the URL) expect http. The body stream is passed on unread.
 * The signal is not carried over: reading it makes Deno print a warning about
 * its legacy abort behaviour in every worker.
 */
function withHttpScheme(handler: FetchHandler): FetchHandler {
  return (request, context) => {
    if (!request.url.startsWith("http+unix:")) return handler(request, context);
    const url = `http:${request.url.slice("http+unix:".length)}`;
    const init = { method: request.method, headers: request.headers, body: request.body, duplex: "half" };
    return handler(new Request(url, init as RequestInit), context);
  };
}

function wrap(server: any, port: number, abort: AbortController): HttpServer {
  return {
    port,
    // shutdown() stops the listener, closes idle connections and resolves
    // once in-flight requests have finished.
    close: () => server.shutdown(),
    closesWebSockets: true,
    forceClose: () => abort.abort(),
  };
}

// Small files are cheaper read at once (see the portable responder); larger
// ones are sent from a Deno file's own stream, which Deno.serve copies from
// the file to the socket without passing chunks through JavaScript.
const SMALL_FILE_BYTES = 64 * 1024;

async function fileResponse(path: string, init: FileResponseInit): Promise<Response> {
  const { status, headers } = init;
  if (init.bodyless) return new Response(null, { status, headers });
  if (!init.range && init.size <= SMALL_FILE_BYTES) {
    const bytes: Uint8Array<ArrayBuffer> = await Deno.readFile(path);
    headers.set("content-length", String(bytes.byteLength));
    return new Response(bytes, { status, headers });
  }
  const file = await Deno.open(path, { read: true });
  if (!init.range) return new Response(file.readable, { status, headers });
  await file.seek(init.range.start, Deno.SeekMode.Start);
  return new Response(file.readable.pipeThrough(takeBytes(init.range.end - init.range.start + 1)), { status, headers });
}

/** Passes the first `count` bytes on and ends the stream (which closes the file). */
function takeBytes(count: number): TransformStream<Uint8Array, Uint8Array> {
  let left = count;
  return new TransformStream({
    transform(chunk, controller) {
      if (left <= 0) return controller.terminate();
      const part = chunk.byteLength <= left ? chunk : chunk.subarray(0, left);
      left -= part.byteLength;
      controller.enqueue(part);
      if (left <= 0) controller.terminate();
    },
  });
}

export const denoAdapter: EngineAdapter = {
  engine: "deno",
  version: Deno.version.deno,
  // node:http's ceiling is set above lsky's limits (see node-http.ts).
  headCeiling: 0,
  // Both servers check the raw head (Deno.serve's field list, node:http's parse).
  prechecks: true,
  serve,
  fileResponse,
  recordBodies,
  bodyLength: heldBodyLength,
  replaceUrl: replaceDenoUrl,
  headerFields: checkedHeaderFields,
  textBody: exactText,
};
