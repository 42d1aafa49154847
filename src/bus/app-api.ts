/**
 * The message bus as an app sees it: `context.bus` in `fetch(request, context)`
 * (`c.env.bus` in Hono), or `globalThis.lsky.bus` anywhere, including module
 * top level. Full description with examples: docs/BUS.md.
 *
 * Messages are JSON: `data` goes through JSON.stringify, so Dates become
 * strings, `undefined` fields vanish and a BigInt throws. Delivery is at most
 * once; between one pair of processes messages arrive in the order sent.
 */
export interface LskyBus {
  /** This worker's id (1..N); a replacement worker inherits it. */
  readonly workerId: number;
  /** The ids of the workers that are ready (this one included), ascending. */
  workers(): number[];
  /** Delivers to `topic` subscribers on every ready worker, this one included. */
  publish(topic: string, data?: unknown): void;
  /** Delivers to `topic` subscribers on one worker; dropped if that worker is not ready. */
  send(workerId: number, topic: string, data?: unknown): void;
  /** Calls `handler` for each message on `topic`; returns the unsubscribe function. */
  subscribe(topic: string, handler: BusSubscriber): () => void;
  /**
   * Asks a worker (by id) or the supervisor and resolves with the answer of
   * its `handle` for `topic`; rejects with an error whose `code` is one of
   * BUS_NO_WORKER, BUS_WORKER_GONE, BUS_TIMEOUT, BUS_NO_HANDLER,
   * BUS_HANDLER_FAILED, BUS_DISCONNECTED.
   */
  request<T = unknown>(target: number | "supervisor", topic: string, data?: unknown, options?: RequestOptions): Promise<T>;
  /** Answers requests on `topic` (one handler per topic); returns the unregister function. */
  handle(topic: string, handler: BusHandler): () => void;
}

export interface RequestOptions {
  /** Milliseconds before the request fails with BUS_TIMEOUT (default 5000). */
  timeout?: number;
}

/** Where a message came from: a worker id, or "supervisor". */
export interface BusMessageInfo {
  topic: string;
  from: number | "supervisor";
}

export type BusSubscriber = (data: unknown, info: BusMessageInfo) => void | Promise<void>;

/** Its return value (or what its promise resolves to) is the reply; a throw becomes BUS_HANDLER_FAILED. */
export type BusHandler = (data: unknown, info: BusMessageInfo) => unknown;

/** What lsky puts on `globalThis.lsky` in a worker before the app module loads. */
export interface LskyGlobal {
  bus: LskyBus;
}
