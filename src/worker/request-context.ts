import type { LskyBus } from "../bus/app-api.ts";
import type { EngineBindings, LskyContext, RemoteAddr } from "../runtime/types.ts";
import type { Tasks } from "../tasks/app-api.ts";
import type { Sockets } from "../websocket/app-api.ts";
import type { UpgradeSlot } from "../websocket/engine.ts";
import type { SocketHub } from "../websocket/host.ts";
import type { Cache, StoreGlobal } from "../store/app-api.ts";

/** The worker's WebSockets, as every request's context reaches them. */
export interface ContextSockets {
  hub: SocketHub;
  sockets: Sockets;
}

const NO_BINDINGS: EngineBindings = {};

type Upgrade = LskyContext["upgrade"];

/**
 * What every request's context in a worker holds alike, gathered once when
 * the worker starts serving, so that making a context copies references and
 * allocates nothing else: no closure per request for `upgrade`, no global
 * lookup for `tasks`. (A context made once and reused for every request, the
 * most this could save, served 1.01 times as many small requests on Bun and
 * Node, paired runs on 2026-12-03.)
 */
export interface ContextShared {
  readonly bus: LskyBus;
  readonly sockets: Sockets;
  readonly tasks: Tasks;
  readonly table: StoreGlobal["table"];
  readonly cache: Cache;
  /** `upgrade` for a request that does not ask for a WebSocket: one function for all of them. */
  readonly upgradeUnasked: Upgrade;
  readonly websockets: ContextSockets | undefined;
}

export function contextShared(bus: LskyBus, websockets?: ContextSockets, store?: StoreGlobal): ContextShared {
  return {
    bus,
    sockets: websockets?.sockets as Sockets,
    // The worker installed its task client before it loaded the app.
    tasks: (globalThis as { lsky?: { tasks?: Tasks } }).lsky?.tasks as Tasks,
    // The client's own bound function and object.
    table: store?.table as StoreGlobal["table"],
    cache: store?.cache as Cache,
    upgradeUnasked: upgradeThrough(websockets, undefined),
    websockets,
  };
}

/** `ctx.upgrade`: a plain function, bound to nothing, so a copy of the context keeps it working. */
function upgradeThrough(websockets: ContextSockets | undefined, slot: UpgradeSlot | undefined): Upgrade {
  return (_request, events) => {
    if (!websockets) throw new Error("WebSockets are not available in this worker");
    return websockets.hub.accept(slot, events);
  };
}

/**
 * The second argument of the app's `fetch(request, context)` (`c.env` in a
 * Hono app). The client address is read from the engine on first use only.
 * It also carries what the engine's own server would have passed, so the
 * engine's helpers keep working: `server` on Bun (hono/bun's getConnInfo and
 * getBunServer), `incoming` and `outgoing` on Node (@hono/node-server's).
 * They are plain fields, so a stage or an app that copies the context with a
 * spread keeps them, `upgrade` included. The proxy stage sets the forwarded
 * client's address in place.
 */
export class RequestContext<Source = unknown> implements LskyContext {
  readonly bus: LskyBus;
  readonly server: unknown;
  readonly incoming: unknown;
  readonly outgoing: unknown;
  readonly sockets: Sockets;
  readonly tasks: Tasks;
  /** The shared tables and cache (docs/TABLES.md). */
  readonly table: StoreGlobal["table"];
  readonly cache: Cache;
  readonly upgrade: Upgrade;
  #readRemoteAddr: (source: Source) => RemoteAddr;
  #source: Source;
  #remoteAddr: RemoteAddr | undefined;

  constructor(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, shared: ContextShared, bindings: EngineBindings = NO_BINDINGS) {
    this.#readRemoteAddr = readRemoteAddr;
    this.#source = source;
    this.bus = shared.bus;
    this.server = bindings.server;
    this.incoming = bindings.incoming;
    this.outgoing = bindings.outgoing;
    this.sockets = shared.sockets;
    this.tasks = shared.tasks;
    this.table = shared.table;
    this.cache = shared.cache;
    // Only a request that asks for a WebSocket has a slot (and its own function).
    this.upgrade = bindings.upgrade === undefined ? shared.upgradeUnasked : upgradeThrough(shared.websockets, bindings.upgrade);
  }

  get remoteAddr(): RemoteAddr {
    return (this.#remoteAddr ??= this.#readRemoteAddr(this.#source));
  }

  /** The proxy stage sets the forwarded client here (--trust-proxy). */
  set remoteAddr(address: RemoteAddr) {
    this.#remoteAddr = address;
  }
}
