import type { LskyBus } from "../bus/app-api.ts";
import type { EngineBindings, LskyContext, RemoteAddr } from "../runtime/types.ts";

const NO_BINDINGS: EngineBindings = {};

/**
 * The second argument of the app's `fetch(request, context)` (`c.env` in a
 * Hono app). The client address is read from the engine on first use only.
 * It also carries what the engine's own server would have passed, so the
 * engine's helpers keep working: `server` on Bun (hono/bun's getConnInfo and
 * getBunServer), `incoming` and `outgoing` on Node (@hono/node-server's).
 * They are plain fields, so a stage that copies the context keeps them.
 */
export class RequestContext<Source = unknown> implements LskyContext {
  readonly bus: LskyBus;
  readonly server: unknown;
  readonly incoming: unknown;
  readonly outgoing: unknown;
  #readRemoteAddr: (source: Source) => RemoteAddr;
  #source: Source;
  #remoteAddr: RemoteAddr | undefined;

  constructor(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, bus: LskyBus, bindings: EngineBindings = NO_BINDINGS) {
    this.#readRemoteAddr = readRemoteAddr;
    this.#source = source;
    this.bus = bus;
    this.server = bindings.server;
    this.incoming = bindings.incoming;
    this.outgoing = bindings.outgoing;
  }

  get remoteAddr(): RemoteAddr {
    return (this.#remoteAddr ??= this.#readRemoteAddr(this.#source));
  }
}
