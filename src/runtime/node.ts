import { getRequestListener } from "@hono/node-server";
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { LskyError } from "../errors.ts";
import type { EngineAdapter, HttpServer, LskyContext, ServeOptions } from "./types.ts";

// How often a closing server sweeps connections that went idle after their
// last response, so a drain never waits for the keep-alive timeout.
const IDLE_SWEEP_MS = 50;
// After a cluster worker's server closed, the primary may still have handed it
// a connection (a "newconn" message in flight). The worker declines it and the
// primary passes it to another worker, but only while the worker is alive: a
// worker that exits first leaves that connection hanging in the primary
// forever. Staying a moment longer lets those messages be answered.
const CLUSTER_LINGER_MS = 200;

/**
 * Node's adapter: `node:http` with @hono/node-server's request listener, which
 * converts IncomingMessage/ServerResponse to and from Request/Response lazily
 * and without buffering bodies. Under the supervisor a Node worker is a
 * `node:cluster` worker, so `listen()` shares the supervisor's port.
 */
function serve(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  const listener = getRequestListener((request, env) => {
    const { incoming, outgoing } = env as { incoming: IncomingMessage; outgoing: ServerResponse };
    const result = handler(request, contextOf(incoming));
    if (result instanceof Promise) {
      return result.then((response) => {
        if (shouldClose()) outgoing.shouldKeepAlive = false;
        return response;
      });
    }
    if (shouldClose()) outgoing.shouldKeepAlive = false;
    return result;
  });
  const server = createServer(listener);
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, options.port)));
    server.listen(options.port, options.hostname, () => {
      const address = server.address();
      resolve(wrap(server, typeof address === "object" && address ? address.port : options.port));
    });
  });
}

function contextOf(incoming: IncomingMessage): LskyContext {
  const socket = incoming.socket;
  return { remoteAddr: { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 } };
}

function wrap(server: Server, port: number): HttpServer {
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        server.close(() => {
          clearInterval(sweep);
          setTimeout(resolve, cluster.isWorker ? CLUSTER_LINGER_MS : 0);
        });
        server.closeIdleConnections();
      }),
    forceClose: () => server.closeAllConnections(),
  };
}

function listenError(error: unknown, port: number): Error {
  if ((error as { code?: string }).code === "EADDRINUSE") {
    return new LskyError("PORT_IN_USE", `Cannot listen on port ${port}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on port ${port}: ${String(error)}`, { cause: error });
}

export const nodeAdapter: EngineAdapter = {
  engine: "node",
  version: process.versions.node,
  serve,
};
