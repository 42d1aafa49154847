import { LskyError } from "../errors.ts";
import { withConnectionClose } from "./connection-close.ts";
import type { EngineAdapter, FetchHandler, HttpServer, LskyContext, RemoteAddr, ServeOptions } from "./types.ts";

declare const Deno: any;

const UNIX_PEER: RemoteAddr = { transport: "unix", hostname: "", port: 0 };

function serve(options: ServeOptions): Promise<HttpServer> {
  const { shouldClose } = options;
  const handler = options.unixPath ? withHttpScheme(options.handler) : options.handler;
  const abort = new AbortController();
  let server: any;
  try {
    server = Deno.serve({
      ...listenOptions(options),
      signal: abort.signal,
      onListen: () => {}, // lsky prints its own start line
      onError: () => new Response(null, { status: 500 }),
      handler(request: Request, info: { remoteAddr: { transport: string; hostname: string; port: number } }) {
        const { remoteAddr } = info;
        const context: LskyContext = {
          remoteAddr: remoteAddr.transport === "unix" ? UNIX_PEER : { transport: "tcp", hostname: remoteAddr.hostname, port: remoteAddr.port },
        };
        const result = handler(request, context);
        if (!shouldClose()) return result;
        return result instanceof Promise ? result.then(withConnectionClose) : withConnectionClose(result);
      },
    });
  } catch (error) {
    return Promise.reject(listenError(error, options));
  }
  return Promise.resolve(wrap(server, options.unixPath ? 0 : server.addr.port, abort));
}

function listenOptions(options: ServeOptions): Record<string, unknown> {
  // With cert and key Deno.serve negotiates HTTP/2 or HTTP/1.1 by ALPN.
  const tls = options.tls ? { cert: options.tls.cert, key: options.tls.key } : {};
  if (options.unixPath) return { path: options.unixPath, transport: "unix", ...tls };
  // reusePort needs --unstable-net, which lsky passes when it launches a Deno worker.
  return { hostname: options.hostname, port: options.port, reusePort: true, ...tls };
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
    forceClose: () => abort.abort(),
  };
}

function listenError(error: unknown, options: ServeOptions): Error {
  const where = options.unixPath ? `unix:${options.unixPath}` : `port ${options.port}`;
  if ((error as { name?: string }).name === "AddrInUse") {
    return new LskyError("PORT_IN_USE", `Cannot listen on ${where}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on ${where}: ${String(error)}`, { cause: error });
}

export const denoAdapter: EngineAdapter = {
  engine: "deno",
  version: Deno.version.deno,
  serve,
};
