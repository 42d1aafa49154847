import { AsyncLocalStorage } from "node:async_hooks";
import type { FetchHandler, LskyContext, RemoteAddr } from "../runtime/types.ts";
import type { CurrentRequest } from "../app/current-request.ts";

export type { CurrentRequest };

/** Built per request, so everything that costs (id, store, address) waits for first use. */
class RequestEntry implements CurrentRequest {
  #id: string | undefined;
  #store: Map<unknown, unknown> | undefined;

  constructor(readonly request: Request, private readonly context: LskyContext, readonly workerId: number) {}

  get id(): string {
    return (this.#id ??= crypto.randomUUID());
  }

  get remoteAddr(): RemoteAddr {
    return this.context.remoteAddr;
  }

  get store(): Map<unknown, unknown> {
    return (this.#store ??= new Map());
  }
}

export interface RequestStore {
  /** The request whose call tree the caller is in, or undefined. */
  current(): CurrentRequest | undefined;
  /** Wraps a handler so that each request runs inside its own entry. */
  wrap(handler: FetchHandler): FetchHandler;
}

/**
 * One AsyncLocalStorage per worker, which Bun, Deno and Node all provide
 * (node:async_hooks). The entry rides along every await, timer and promise
 * the request starts, and is gone outside it, so nothing of one request can
 * leak into the next.
 */
export function createRequestStore(workerId: number): RequestStore {
  const storage = new AsyncLocalStorage<CurrentRequest>();
  return {
    current: () => storage.getStore(),
    wrap: (handler) => (request, context) => storage.run(new RequestEntry(request, context, workerId), () => handler(request, context)),
  };
}
