import type { RemoteAddr } from "../runtime/types.ts";

/**
 * What `requestContext()` returns inside a request (docs/HOOKS.md): the
 * current request wherever the code that asks sits in its call tree.
 */
export interface CurrentRequest {
  /** A random UUID, made on first read; the same for the whole request. */
  readonly id: string;
  /** The client (the forwarded one when --trust-proxy believes the peer). */
  readonly remoteAddr: RemoteAddr;
  readonly request: Request;
  /** The id of the worker serving it. */
  readonly workerId: number;
  /** Per-request values the app sets and reads; dropped with the request. */
  readonly store: Map<unknown, unknown>;
}
