import { LskyError } from "../errors.ts";
import { withConnectionClose } from "./connection-close.ts";
import type { EngineAdapter, HttpServer, LskyContext, ServeOptions } from "./types.ts";

declare const Deno: any;

async function serve(options: ServeOptions): Promise<HttpServer> {
  if (options.denoServer === "native") return serveNative(options);
  const { serveNodeHttp } = await import("./node-http.ts");
  return serveNodeHttp(options, { reusePort: true });
}

/**
 * Deno.serve: faster, but it has no header timeout (slowloris connections stay
 * open), keeps reading after a response that says Connection: close, and
 * accepts a request without Host; the limits stage covers only the last.
 */
function serveNative(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  const abort = new AbortController();
  let server: any;
  try {
    server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      // Needs --unstable-net, which lsky passes when it launches a Deno worker.
      reusePort: true,
      signal: abort.signal,
      onListen: () => {}, // lsky prints its own start line
      onError: () => new Response(null, { status: 500 }),
      handler(request: Request, info: { remoteAddr: { hostname: string; port: number } }) {
        const context: LskyContext = {
          remoteAddr: { transport: "tcp", hostname: info.remoteAddr.hostname, port: info.remoteAddr.port },
        };
        const result = handler(request, context);
        if (!shouldClose()) return result;
        return result instanceof Promise ? result.then(withConnectionClose) : withConnectionClose(result);
      },
    });
  } catch (error) {
    return Promise.reject(listenError(error, options.port));
  }
  return Promise.resolve(wrap(server, server.addr.port, abort));
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

function listenError(error: unknown, port: number): Error {
  if ((error as { name?: string }).name === "AddrInUse") {
    return new LskyError("PORT_IN_USE", `Cannot listen on port ${port}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on port ${port}: ${String(error)}`, { cause: error });
}

export const denoAdapter: EngineAdapter = {
  engine: "deno",
  version: Deno.version.deno,
  // node:http's ceiling is set above lsky's limits (see node-http.ts).
  headCeiling: 0,
  serve,
};
