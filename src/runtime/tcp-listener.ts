import cluster from "node:cluster";
import { createServer, type Socket } from "node:net";
import { listenError } from "./listen-error.ts";

/**
 * A TCP listener for the app's `listeners` (docs/LISTENERS.md), on node:net
 * on every engine: Bun and Deno implement its `reusePort` (SO_REUSEPORT, so
 * every worker binds the port and the kernel spreads connections), and on
 * Node a cluster worker's `listen()` shares the supervisor's socket, as the
 * HTTP port does.
 */

export interface TcpPeer {
  transport: "tcp";
  hostname: string;
  port: number;
}

/** The `conn` the app's module receives. */
export interface TcpConnection {
  readonly remoteAddr: TcpPeer;
  /** Queues bytes (a string is sent as UTF-8); false once the connection is closing. */
  write(data: Uint8Array | string): boolean;
  /** Sends what is queued, then closes. */
  end(): void;
}

export interface TcpEvents {
  open(conn: TcpConnection): void;
  data(conn: TcpConnection, bytes: Uint8Array): void;
  close(conn: TcpConnection): void;
}

export interface TcpListenOptions {
  hostname: string;
  port: number;
  maxConnections: number;
  /** ms without traffic either way before a connection is closed; 0: never. */
  idleTimeout: number;
  /** Bytes queued for one client past which its connection is closed. */
  outputBuffer: number;
  events: TcpEvents;
  /** A connection refused or closed by a limit, for the worker's counters. */
  onLimit(which: "max-connections" | "idle" | "output-buffer"): void;
}

export interface TcpListener {
  readonly port: number;
  /** Open connections now. */
  readonly open: number;
  /** Stops accepting; resolves once every open connection has closed. */
  close(): Promise<void>;
  /** Drops every connection now. */
  forceClose(): void;
}

// As for HTTP (node-http.ts): a cluster worker that stopped listening may
// still be handed a connection by the primary; staying a moment lets it
// decline the connection, so the primary gives it to another worker.
const CLUSTER_LINGER_MS = 200;

export function listenTcp(options: TcpListenOptions): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const server = createServer({ pauseOnConnect: false }, (socket) => {
    if (sockets.size >= options.maxConnections) {
      options.onLimit("max-connections");
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serveConnection(socket, options, () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, { port: options.port })));
    const reusePort = !cluster.isWorker;
    server.listen({ port: options.port, host: options.hostname, ...(reusePort ? { reusePort: true } : {}) }, () => {
      server.removeAllListeners("error");
      server.on("error", () => {});
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      resolve(wrapServer(server, sockets, port));
    });
  });
}

function wrapServer(server: ReturnType<typeof createServer>, sockets: Set<Socket>, port: number): TcpListener {
  return {
    port,
    get open() {
      return sockets.size;
    },
    // close()'s callback waits for open connections on Node; on the others
    // it may not, so the set of open sockets is waited for as well.
    close: () => new Promise<void>((resolve) => {
      server.close(() => setTimeout(resolve, cluster.isWorker ? CLUSTER_LINGER_MS : 0));
    }).then(() => untilEmpty(sockets)),
    forceClose: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

function untilEmpty(sockets: Set<Socket>): Promise<void> {
  if (sockets.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    for (const socket of sockets) {
      socket.once("close", () => {
        if (sockets.size === 0) resolve();
      });
    }
  });
}

/**
 * `release` frees the connection's place under --listener-max-connections.
 * A connection lsky drops itself (idle, output cap) gives its place back at
 * once: its "close" event comes a turn later, and a client that reconnects as
 * soon as it sees the close must not be refused for a place already empty.
 */
function serveConnection(socket: Socket, options: TcpListenOptions, release: () => void): void {
  const { events } = options;
  const drop = (which: "idle" | "output-buffer") => {
    options.onLimit(which);
    release();
    socket.destroy();
  };
  const conn: TcpConnection = {
    remoteAddr: { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
    write: (data) => {
      if (socket.destroyed || socket.writableEnded) return false;
      socket.write(data);
      // A client that does not read must not make the worker hold its output.
      if (socket.writableLength > options.outputBuffer) {
        drop("output-buffer");
        return false;
      }
      return true;
    },
    end: () => {
      if (!socket.destroyed) socket.end();
    },
  };
  socket.setNoDelay(true);
  if (options.idleTimeout > 0) {
    socket.setTimeout(options.idleTimeout, () => drop("idle"));
  }
  // A reset from the client ends in "close" like any other end.
  socket.on("error", () => {});
  socket.on("data", (bytes: Uint8Array) => events.data(conn, bytes));
  // The client finished sending: close our side too once our output is out.
  socket.on("end", () => socket.end());
  socket.once("close", () => events.close(conn));
  events.open(conn);
}
