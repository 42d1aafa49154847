/**
 * The runtime shim's contract. `src/runtime/` is the only place that touches
 * `Bun`, `Deno` or `node:http`; everything else talks to an `EngineAdapter`.
 */

import type { LimitSettings } from "../config/limit-options.ts";

export type Engine = "bun" | "deno" | "node";

/** The client's address, shaped like `Deno.ServeHandlerInfo["remoteAddr"]`. */
export interface RemoteAddr {
  transport: "tcp";
  hostname: string;
  port: number;
}

/**
 * The second argument lsky passes to the app's `fetch(request, context)`.
 * For a Hono app it is `c.env`.
 */
export interface LskyContext {
  remoteAddr: RemoteAddr;
}

export type FetchHandler = (request: Request, context: LskyContext) => Response | Promise<Response>;

export interface ServeOptions {
  hostname: string;
  port: number;
  /** Never throws; errors are turned into responses before they reach the adapter. */
  handler: FetchHandler;
  /**
   * Asked before each response is sent: true while the worker drains, so the
   * response carries `Connection: close` and the connection closes after it.
   */
  shouldClose(): boolean;
  /**
   * Limits the engine enforces itself where it can (timeouts while reading
   * the header section, keep-alive idle time, parser sizes); the rest is
   * checked engine-neutrally by the limits stage before the handler.
   */
  limits: LimitSettings;
  /**
   * How a Deno worker serves: "node" is Deno's node:http (Node's parser and
   * timeouts, the same promises as Node); "native" is Deno.serve, faster but
   * without a header timeout or Connection: close (see docs/RELIABILITY.md).
   */
  denoServer: "node" | "native";
}

export interface HttpServer {
  /** The port actually bound (differs from the option when it was 0). */
  readonly port: number;
  /**
   * Stops accepting, closes idle keep-alive connections, and resolves once
   * every in-flight request has finished.
   */
  close(): Promise<void>;
  /** Drops every connection now (the drain deadline passed). */
  forceClose(): void;
}

export interface EngineAdapter {
  readonly engine: Engine;
  /** The engine's own version, e.g. "1.4.5". */
  readonly version: string;
  /**
   * Bytes of request head (request line and header fields) above which the
   * engine itself refuses with 431, whatever lsky asks; 0 when it has none
   * lsky relies on. Lets the limits stage skip a scan the engine already did.
   */
  readonly headCeiling: number;
  serve(options: ServeOptions): Promise<HttpServer>;
}
