/// <reference types="bun-types" />
import { LskyError } from "../errors.ts";
import { withConnectionClose } from "./connection-close.ts";
import { logEngineError } from "./engine-error.ts";
import type { EngineAdapter, FileResponseInit, HttpServer, RemoteAddr, ServeOptions } from "./types.ts";

const UNKNOWN_ADDR: RemoteAddr = { transport: "tcp", hostname: "", port: 0 };
const UNIX_PEER: RemoteAddr = { transport: "unix", hostname: "", port: 0 };

function serve(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  const unknownPeer = options.unixPath ? UNIX_PEER : UNKNOWN_ADDR;
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      ...listenOptions(options),
      // Bun's default 128 MiB cap would refuse large streamed uploads; body
      // limits are lsky's to set, the same on every engine.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch(request, bunServer) {
        const context = options.context(() => {
          const ip = bunServer.requestIP(request);
          return ip ? { transport: "tcp", hostname: ip.address, port: ip.port } : unknownPeer;
        });
        const result = handler(request, context);
        if (!shouldClose()) return result;
        return result instanceof Promise ? result.then(withConnectionClose) : withConnectionClose(result);
      },
      error(error) {
        logEngineError(error);
        return new Response(null, { status: 500 });
      },
    } as Parameters<typeof Bun.serve>[0]);
  } catch (error) {
    return Promise.reject(listenError(error, options));
  }
  return Promise.resolve(wrap(server));
}

function listenOptions(options: ServeOptions): Record<string, unknown> {
  // Bun.serve speaks HTTP/2 when asked (`http2: true`, ALPN h2 then http/1.1).
  const tls = options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key }, http2: true } : {};
  if (options.unixPath) return { unix: options.unixPath, ...tls };
  // Workers share the port; the kernel balances connections between them.
  return { hostname: options.hostname, port: options.port, reusePort: true, ...tls };
}

function wrap(server: ReturnType<typeof Bun.serve>): HttpServer {
  return {
    port: server.port ?? 0,
    // stop(false) stops the listener, closes idle connections and resolves
    // once in-flight requests (including streaming bodies) have finished.
    close: () => Promise.resolve(server.stop(false)).then(() => undefined),
    forceClose: () => void server.stop(true),
  };
}

function listenError(error: unknown, options: ServeOptions): Error {
  const where = options.unixPath ? `unix:${options.unixPath}` : `port ${options.port}`;
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE" || /in use/i.test(String(error))) {
    return new LskyError("PORT_IN_USE", `Cannot listen on ${where}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on ${where}: ${String(error)}`, { cause: error });
}

// A Bun.file body (or a slice of one) is sent with sendfile, without copying
// the bytes through JavaScript; Bun sets Content-Length from it.
function fileResponse(path: string, init: FileResponseInit): Response {
  if (init.bodyless) return new Response(null, { status: init.status, headers: init.headers });
  const file = Bun.file(path);
  const body = init.range ? file.slice(init.range.start, init.range.end + 1) : file;
  return new Response(body, { status: init.status, headers: init.headers });
}

export const bunAdapter: EngineAdapter = {
  engine: "bun",
  version: Bun.version,
  serve,
  fileResponse,
};
