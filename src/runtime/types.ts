/**
 * The runtime shim's contract. `src/runtime/` is the only place that touches
 * `Bun`, `Deno` or `node:http`; everything else talks to an `EngineAdapter`.
 */

import type { Tasks } from "../tasks/app-api.ts";
import type { LskyBus } from "../bus/app-api.ts";
import type { LimitSettings } from "../config/limit-options.ts";
import type { Sockets, WebSocketEvents } from "../websocket/app-api.ts";
import type { Cache, Table, TableRow } from "../store/app-api.ts";
import type { SocketHost, UpgradeSlot } from "../websocket/engine.ts";
import type { Engine } from "./detect.ts";

export type { Engine } from "./detect.ts";

/**
 * The client's address, shaped like `Deno.ServeHandlerInfo["remoteAddr"]`.
 * A peer on a Unix socket has transport "unix", an empty hostname and port 0.
 */
export interface RemoteAddr {
  transport: "tcp" | "unix";
  hostname: string;
  port: number;
}

/**
 * The second argument lsky passes to the app's `fetch(request, context)`.
 * For a Hono app it is `c.env`.
 */
export interface LskyContext {
  remoteAddr: RemoteAddr;
  /** The message bus between workers and the supervisor (docs/BUS.md). */
  bus: LskyBus;
  /**
   * Turns this request into a WebSocket (docs/WEBSOCKET.md): returns the
   * response to return from fetch, or a refusal (426 when the request does
   * not ask for a WebSocket, 503 while draining or at the connection cap).
   */
  upgrade(request: Request, events: WebSocketEvents): Response;
  /** Every WebSocket in the pool. */
  sockets: Sockets;
  /** The app's task handlers, run on task workers (docs/TASKS.md). */
  tasks: Tasks;
  /** A shared table declared in lsky.config.ts (docs/TABLES.md). */
  table<Row extends TableRow = TableRow>(name: string): Table<Row>;
  /** The cache every process of the server shares (docs/TABLES.md). */
  cache: Cache;
}

/**
 * What an engine's own helpers read from the second argument of `fetch`:
 * Hono's `getConnInfo` from `hono/bun` asks Bun's server (`requestIP`), the
 * one from `@hono/node-server/conninfo` reads Node's `incoming` socket. The
 * adapter hands them over; the context exposes them beside lsky's fields.
 */
export interface EngineBindings {
  /** Bun's server (`Bun.serve`'s return value). */
  server?: unknown;
  /** Node's IncomingMessage (Node, and Deno's node:http). */
  incoming?: unknown;
  /** Node's ServerResponse (Node, and Deno's node:http). */
  outgoing?: unknown;
  /** Present on a request that asks for a WebSocket; `ctx.upgrade` accepts it. */
  upgrade?: UpgradeSlot;
}

export type FetchHandler = (request: Request, context: LskyContext) => Response | Promise<Response>;

export interface TlsFiles {
  /** PEM certificate chain, the file's contents. */
  cert: string;
  /** PEM private key, the file's contents. */
  key: string;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  /** Listen on this Unix socket path instead of hostname and port. */
  unixPath?: string;
  /** Serve HTTPS (and HTTP/2 by ALPN where the engine can). */
  tls?: TlsFiles;
  /** Never throws; errors are turned into responses before they reach the adapter. */
  handler: FetchHandler;
  /**
   * Builds the context for one request; the worker owns what goes in it beyond
   * the address. The address is read only if the app asks for it: asking the
   * engine for it on every request costs Bun about a tenth of its throughput.
   * The adapter passes one reader, made once, and the request's own source of
   * the address (Bun's Request, Deno's info, Node's IncomingMessage), so no
   * closure is allocated per request.
   */
  context<Source>(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, bindings?: EngineBindings): LskyContext;
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
   * How a Deno worker serves: "native" (the default) is Deno.serve, without a
   * header or keep-alive timeout and unable to close a connection after an
   * answer; "node" is Deno's node:http (Node's parser and timeouts, the same
   * promises as Node) at about a third of the speed (docs/RELIABILITY.md).
   */
  denoServer: "node" | "native";
  /** The worker's WebSockets; without it the adapter upgrades nothing. */
  websockets?: SocketHost;
  /** The app's exported `websocket` handlers (Bun's shape, for hono/bun); only Bun uses them. */
  appWebSocket?: unknown;
  /** The engine stopped accepting for good (Deno.serve's loop ends when accept fails): the worker is to be replaced. */
  onAcceptFailed?(error: unknown): void;
}

export interface CloseOptions {
  /** Close a connection only after it has been idle this long, in ms. */
  idleMargin: number;
}

export interface HttpServer {
  /** The port actually bound (differs from the option when it was 0; 0 on a Unix socket). */
  readonly port: number;
  /**
   * Stops accepting and resolves once every connection has closed. Without
   * options idle keep-alive connections are closed at once. With
   * `idleMargin` (only where `keepsIdleConnections`) a connection is closed
   * only once it has been idle that long; until then its client's next
   * request is answered with `Connection: close` (`shouldClose`), so the
   * close never races a request on the wire.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * True when close() can stop accepting and keep idle connections open
   * (node:http). Bun, Deno.serve and node:http2 close every idle connection
   * as they stop accepting, so a handover keeps serving them for the margin
   * before it closes (src/worker/drain.ts).
   */
  readonly keepsIdleConnections?: boolean;
  /**
   * True when close() also closes the server's WebSockets (Deno.serve's
   * shutdown, with 1001): a drain lets the hub close them first (1012 on a
   * reload), within the grace period.
   */
  readonly closesWebSockets?: boolean;
  /** Drops every connection now (the drain deadline passed). */
  forceClose(): void;
}

/** How to answer with a file: the static stage has decided status and headers. */
export interface FileResponseInit {
  status: number;
  headers: Headers;
  /** The file's size when it was looked up. */
  size: number;
  /** Send only these bytes (inclusive), for a 206. */
  range?: { start: number; end: number };
  /** HEAD: headers only (Content-Length is already set). */
  bodyless?: boolean;
}

/** A request's header fields as the client sent them: names in any case, a name repeated per line. */
export type HeaderFields = readonly (readonly [name: string, value: string])[];

export type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

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
  /**
   * True when the adapter may check a request's head on the raw parse and
   * mark it (src/limits/prechecked.ts); false lets the limits stage skip
   * looking for the mark.
   */
  readonly prechecks: boolean;
  serve(options: ServeOptions): Promise<HttpServer>;
  /**
   * A response whose body is the file at `path`, sent the engine's fastest
   * way (Bun: `Bun.file`, which the server sends with sendfile). Engines
   * without one leave it out and lsky streams the file with node:fs.
   */
  fileResponse?(path: string, init: FileResponseInit): Response | Promise<Response>;
  /**
   * A response body's byte length when the engine can tell it without
   * reading the body (Node: @hono/node-server's lightweight responses; Bun
   * and Deno: the body a recorded response was made with, held-bodies.ts),
   * for the access log and compression; undefined when it cannot.
   */
  bodyLength?(response: Response): number | undefined;
  /**
   * Starts recording what responses are made with, which bodyLength needs
   * where the engine does not tell (Deno). Called before the server starts
   * when a stage will ask for body lengths; Bun records always.
   */
  recordBodies?(): void;
  /**
   * Gives the request another URL in place, when the engine keeps the URL
   * where lsky can set it without changing the request's shape (Deno:
   * deno-request-url.ts); undefined when it cannot, and the proxy stage uses
   * the engine-neutral way (src/http/request-url.ts).
   */
  replaceUrl?(request: Request, url: string): Request | undefined;
  /**
   * The request's header fields as the engine parsed them (names as the
   * client spelled them, one entry per line), when the adapter has just read
   * them for its own checks (Deno: deno-head.ts); undefined otherwise.
   */
  headerFields?(request: Request): HeaderFields | undefined;
  /**
   * The request's header fields as the engine already keyed them: lower-case
   * names, a repeated field's values joined with ", " (Node: the
   * IncomingMessage's `headers`, which node:http builds for every request);
   * undefined where the engine has no such record.
   */
  headerRecord?(context: LskyContext): HeaderRecord | undefined;
  /**
   * The same bytes as text, when the engine sends a text body faster than a
   * byte body and the bytes are UTF-8 that decode and encode back exactly;
   * undefined to send the bytes. For bodies kept in memory and sent many
   * times (static files): Deno copies a byte body on every response.
   */
  textBody?(bytes: Uint8Array): string | undefined;
}
