/// <reference types="bun-types" />
import { LskyError } from "../errors.ts";
import { withConnectionClose } from "./connection-close.ts";
import { logEngineError } from "./engine-error.ts";
import type { EngineAdapter, HttpServer, LskyContext, ServeOptions } from "./types.ts";

const UNKNOWN_ADDR = { transport: "tcp", hostname: "", port: 0 } as const;

function serve(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      // Workers share the port; the kernel balances connections between them.
      reusePort: true,
      // Bun's default 128 MiB cap would refuse large streamed uploads; body
      // limits are lsky's to set, the same on every engine.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch(request, bunServer) {
        const ip = bunServer.requestIP(request);
        const context: LskyContext = {
          remoteAddr: ip ? { transport: "tcp", hostname: ip.address, port: ip.port } : UNKNOWN_ADDR,
        };
        const result = handler(request, context);
        if (!shouldClose()) return result;
        return result instanceof Promise ? result.then(withConnectionClose) : withConnectionClose(result);
      },
      error(error) {
        logEngineError(error);
        return new Response(null, { status: 500 });
      },
    });
  } catch (error) {
    return Promise.reject(listenError(error, options.port));
  }
  return Promise.resolve(wrap(server));
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

function listenError(error: unknown, port: number): Error {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE" || /in use/i.test(String(error))) {
    return new LskyError("PORT_IN_USE", `Cannot listen on port ${port}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on port ${port}: ${String(error)}`, { cause: error });
}

export const bunAdapter: EngineAdapter = {
  engine: "bun",
  version: Bun.version,
  serve,
};
