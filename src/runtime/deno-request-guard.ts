import type { LimitSettings } from "../config/limit-options.ts";
import { markPrechecked } from "../limits/prechecked.ts";
import { isRefusal, refusal } from "../limits/responses.ts";
import { checkDenoHead } from "./deno-head.ts";
import { RefusedPeers } from "./refused-peers.ts";

export interface DenoPeer {
  hostname: string;
  port: number;
}

/**
 * Where the peer is read from: Deno.serve's handler info, whose `remoteAddr`
 * asks Deno for the address and makes a new object on every read. It is read
 * only to refuse a connection, or while some connection refused lately is
 * remembered; a request that goes on as usual never reads it.
 */
export interface PeerSource {
  readonly remoteAddr: DenoPeer;
}

/**
 * lsky's limits on Deno.serve over TCP. The head is checked on Deno's raw
 * field list before the app (marked, so the limits stage skips its own
 * checks). Deno.serve cannot close a connection after a refusal, so the
 * connection is remembered and whatever else it brings (a request pipelined
 * behind the refused one) is refused too, never served.
 */
export class DenoRequestGuard {
  private readonly refused = new RefusedPeers();

  constructor(private readonly limits: LimitSettings) {}

  /** The answer when the request must not reach the app; undefined lets it go on. */
  check(request: Request, source: PeerSource): Response | undefined {
    if (this.refused.size > 0) {
      const peer = peerKey(source.remoteAddr);
      if (this.refused.has(peer, Date.now())) return this.refuse(400, peer);
    }
    const head = checkDenoHead(request, this.limits);
    if (head === undefined) return undefined;
    if ("status" in head) return this.refuse(head.status, peerKey(source.remoteAddr));
    markPrechecked(request, head.kind);
    return undefined;
  }

  /** Notes the connection of a refusal made later (a body over the limit or too slow, a handler timeout). */
  settle(response: Response, source: PeerSource): Response {
    if (isRefusal(response)) this.refused.add(peerKey(source.remoteAddr), Date.now());
    return response;
  }

  private refuse(status: number, peer: string): Response {
    this.refused.add(peer, Date.now());
    return refusal(status);
  }
}

function peerKey(peer: DenoPeer): string {
  return `${peer.hostname}:${peer.port}`;
}
