import type { LskyBus } from "../bus/app-api.ts";
import type { EngineBindings, LskyContext, RemoteAddr } from "../runtime/types.ts";
import type { Tasks } from "../tasks/app-api.ts";
import type { Sockets, WebSocketEvents } from "../websocket/app-api.ts";
import type { UpgradeSlot } from "../websocket/engine.ts";
import type { SocketHub } from "../websocket/host.ts";
import type { Cache, StoreGlobal } from "../store/app-api.ts";

/** The worker's WebSockets, as every request's context reaches them. */
export interface ContextSockets {
  hub: SocketHub;
  sockets: Sockets;
}

const NO_BINDINGS: EngineBindings = {};

/**
 * The second argument of the app's `fetch(request, context)` (`c.env` in a
 * Hono app). The client address is read from the engine on first use only.
 * It also carries what the engine's own server would have passed, so the
 * engine's helpers keep working: `server` on Bun (hono/bun's getConnInfo and
 * getBunServer), `incoming` and `outgoing` on Node (@hono/node-server's).
 * They are plain fields, so a stage that copies the context keeps them.
 * The proxy stage sets the forwarded client's address in place.
 */
export class RequestContext<Source = unknown> implements LskyContext {
  readonly bus: LskyBus;
  readonly server: unknown;
  readonly incoming: unknown;
  readonly outgoing: unknown;
  readonly sockets: Sockets;
  readonly tasks: Tasks;
  /** The shared tables and cache (docs/TABLES.md); fields, not getters, as `sockets`. */
  readonly table: StoreGlobal["table"];
  readonly cache: Cache;
  #readRemoteAddr: (source: Source) => RemoteAddr;
  #source: Source;
  #remoteAddr: RemoteAddr | undefined;
  #slot: UpgradeSlot | undefined;
  #websockets: ContextSockets | undefined;

  constructor(
    readRemoteAddr: (source: Source) => RemoteAddr,
    source: Source,
    bus: LskyBus,
    bindings: EngineBindings = NO_BINDINGS,
    websockets?: ContextSockets,
    store?: StoreGlobal,
  ) {
    this.#readRemoteAddr = readRemoteAddr;
    this.#source = source;
    this.bus = bus;
    this.server = bindings.server;
    this.incoming = bindings.incoming;
    this.outgoing = bindings.outgoing;
    this.#slot = bindings.upgrade;
    this.#websockets = websockets;
    // A field, not a getter: a stage or an app that copies the context with a spread keeps it.
    this.sockets = websockets?.sockets as Sockets;
    // The worker installed its task client before it loaded the app.
    this.tasks = (globalThis as { lsky?: { tasks?: Tasks } }).lsky?.tasks as Tasks;
    // The client's own bound function and object: nothing allocated per request.
    this.table = store?.table as StoreGlobal["table"];
    this.cache = store?.cache as Cache;
  }

  /** A method, not a field: a stage that copies the context keeps it bound. */
  upgrade = (_request: Request, events: WebSocketEvents): Response => {
    if (!this.#websockets) throw new Error("WebSockets are not available in this worker");
    return this.#websockets.hub.accept(this.#slot, events);
  };


  get remoteAddr(): RemoteAddr {
    return (this.#remoteAddr ??= this.#readRemoteAddr(this.#source));
  }

  /** The proxy stage sets the forwarded client here (--trust-proxy). */
  set remoteAddr(address: RemoteAddr) {
    this.#remoteAddr = address;
  }
}
