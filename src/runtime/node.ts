import { getRequestListener } from "@hono/node-server";
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { LskyError } from "../errors.ts";
import { createSecureNodeServer } from "./node-secure.ts";
import type { EngineAdapter, HttpServer, RemoteAddr, ServeOptions } from "./types.ts";

// How often a closing server sweeps connections that went idle after their
// last response, so a drain never waits for the keep-alive timeout.
const IDLE_SWEEP_MS = 50;
// After a cluster worker's server closed, the primary may still have handed it
// a connection (a "newconn" message in flight). The worker declines it and the
// primary passes it to another worker, but only while the worker is alive: a
// worker that exits first leaves that connection hanging in the primary
// forever. Staying a moment longer lets those messages be answered.
const CLUSTER_LINGER_MS = 200;

/** What node.ts needs of a node:http or node:http2 server to drain it. */
export interface DrainableServer {
  listen(...args: unknown[]): unknown;
  address(): ReturnType<import("node:net").Server["address"]>;
  once(event: "error", listener: (error: Error) => void): unknown;
  close(callback: () => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

/**
 * Node's adapter: `node:http` with @hono/node-server's request listener, which
 * converts IncomingMessage/ServerResponse to and from Request/Response lazily
 * and without buffering bodies. With TLS it is a `node:http2` secure server
 * that also speaks HTTP/1.1 (node-secure.ts). Under the supervisor a Node
 * worker is a `node:cluster` worker, so `listen()` shares the supervisor's
 * port or Unix socket.
 */
function serve(options: ServeOptions): Promise<HttpServer> {
  const { handler, shouldClose } = options;
  const unix = options.unixPath !== undefined;
  const listener = getRequestListener((request, env) => {
    const { incoming, outgoing } = env as { incoming: IncomingMessage; outgoing: ServerResponse };
    const result = handler(request, options.context(() => addressOf(incoming, unix)));
    if (result instanceof Promise) {
      return result.then((response) => {
        if (shouldClose()) outgoing.shouldKeepAlive = false;
        return response;
      });
    }
    if (shouldClose()) outgoing.shouldKeepAlive = false;
    return result;
  });
  const server: DrainableServer = options.tls ? createSecureNodeServer(options.tls, listener) : createServer(listener);
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, options)));
    const onListening = () => {
      const address = server.address();
      resolve(wrap(server, typeof address === "object" && address ? address.port : 0));
    };
    if (options.unixPath) server.listen(options.unixPath, onListening);
    else server.listen(options.port, options.hostname, onListening);
  });
}

const UNIX_PEER: RemoteAddr = { transport: "unix", hostname: "", port: 0 };

function addressOf(incoming: IncomingMessage, unix: boolean): RemoteAddr {
  if (unix) return UNIX_PEER;
  const socket = incoming.socket;
  return { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
}

function wrap(server: DrainableServer, port: number): HttpServer {
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

function listenError(error: unknown, options: ServeOptions): Error {
  const where = options.unixPath ? `unix:${options.unixPath}` : `port ${options.port}`;
  if ((error as { code?: string }).code === "EADDRINUSE") {
    return new LskyError("PORT_IN_USE", `Cannot listen on ${where}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on ${where}: ${String(error)}`, { cause: error });
}

export const nodeAdapter: EngineAdapter = {
  engine: "node",
  version: process.versions.node,
  serve,
};
