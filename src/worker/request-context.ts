import type { LskyBus } from "../bus/app-api.ts";
import type { LskyContext, RemoteAddr } from "../runtime/types.ts";

/**
 * The second argument of the app's `fetch(request, context)` (`c.env` in a
 * Hono app). The client address is read from the engine on first use only.
 */
export class RequestContext<Source = unknown> implements LskyContext {
  readonly bus: LskyBus;
  #readRemoteAddr: (source: Source) => RemoteAddr;
  #source: Source;
  #remoteAddr: RemoteAddr | undefined;

  constructor(readRemoteAddr: (source: Source) => RemoteAddr, source: Source, bus: LskyBus) {
    this.#readRemoteAddr = readRemoteAddr;
    this.#source = source;
    this.bus = bus;
  }

  get remoteAddr(): RemoteAddr {
    return (this.#remoteAddr ??= this.#readRemoteAddr(this.#source));
  }
}
