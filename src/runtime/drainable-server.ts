import type { Server as NetServer } from "node:net";

/**
 * What src/runtime/node-http.ts needs of a node:http or node:http2 server to
 * drain it. A leaf, so that node-secure.ts (which makes the http2 kind) and
 * node-http.ts do not import each other.
 */
export interface DrainableServer {
  listen(...args: unknown[]): unknown;
  address(): ReturnType<NetServer["address"]>;
  once(event: "error", listener: (error: Error) => void): unknown;
  close(callback: () => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}
