import { BUS_MAX_MESSAGE_BYTES } from "../bus/protocol.ts";
import { type ErrorCode, LskyError } from "../errors.ts";
import type { Cache, StoreGlobal, Table, TableRow } from "./app-api.ts";
import { STORE_BATCH_BYTES, type StoreReply } from "./protocol.ts";
import { createCache, createTable } from "./handles.ts";

/** A call whose reply is nothing (a set): its `null` result becomes undefined. */
const VOID = 1;

/**
 * A process's side of the shared store, for any process on the bus (HTTP
 * workers, task workers, custom processes): give it a way to write a line
 * to the supervisor, and hand it each "store-reply" message.
 *
 * Calls made in one turn of the event loop go out as one batch, in one write,
 * when the microtasks run (as ioredis's auto-pipelining does); any number of
 * batches may be in flight on the one connection. Replies come back in order,
 * so each call's promise waits in a queue, not a map, and no call allocates
 * more than its promise and its text.
 */
export class StoreClient implements StoreGlobal {
  private batch = "";
  private batchOps = 0;
  private flushQueued = false;
  /** resolve, reject, shape for each call sent or batched, oldest first from `head`. */
  private readonly queue: unknown[] = [];
  private head = 0;
  private connected = true;
  private readonly tables = new Map<string, Table>();
  readonly cache: Cache;
  private nextResolve: (value: unknown) => void = () => {};
  private nextReject: (error: unknown) => void = () => {};
  // One executor for every promise, so a call allocates no closure for it.
  private readonly capture = (resolve: (value: unknown) => void, reject: (error: unknown) => void) => {
    this.nextResolve = resolve;
    this.nextReject = reject;
  };
  private readonly flushBound = () => this.flush();

  constructor(private readonly sendLine: (line: string) => boolean) {
    this.cache = createCache(this);
  }

  /** The handle of table `name` (one per name); an undeclared name fails on use with TABLE_UNKNOWN. */
  table = <Row extends TableRow = TableRow>(name: string): Table<Row> => {
    if (typeof name !== "string") throw new TypeError(`A table name must be a string, got ${typeof name}`);
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = createTable(this, name)));
    // The row type is the caller's promise about its declaration; the store checks the values.
    return table as unknown as Table<Row>;
  };

  /** Queues one operation, its fields already JSON (`1,"stats","home"`); resolves with its result. */
  call(fields: string, shape: number): Promise<unknown> {
    if (!this.connected) return Promise.reject(disconnectedError());
    if (fields.length * 3 > BUS_MAX_MESSAGE_BYTES - 64) {
      const error = oversized(fields);
      if (error) return Promise.reject(error);
    }
    if (this.batchOps > 0 && this.batch.length + fields.length > STORE_BATCH_BYTES) this.flush();
    this.batch = this.batchOps === 0 ? fields : `${this.batch},${fields}`;
    this.batchOps++;
    const promise = new Promise(this.capture);
    this.queue.push(this.nextResolve, this.nextReject, shape);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushBound);
    }
    return promise;
  }

  /** Takes the supervisor's answer to the oldest batch in flight. */
  receive(reply: StoreReply): void {
    const { r, u, e } = reply;
    const queue = this.queue;
    let nextUndefined = 0;
    let nextError = 0;
    // A reply with no call waiting (after the connection was given up) has no one to tell.
    const waiting = (queue.length - this.head) / 3;
    const count = r.length < waiting ? r.length : waiting;
    for (let i = 0; i < count; i++) {
      const at = this.head;
      this.head += 3;
      if (e !== undefined && e[nextError] === i) {
        (queue[at + 1] as (error: unknown) => void)(new LskyError(e[nextError + 1] as ErrorCode, e[nextError + 2] as string));
        nextError += 3;
      } else if (u !== undefined && u[nextUndefined] === i) {
        nextUndefined++;
        (queue[at] as (value: unknown) => void)(undefined);
      } else {
        (queue[at] as (value: unknown) => void)(queue[at + 2] === VOID ? undefined : r[i]);
      }
    }
    // Drop the answered calls now and then, not on every reply (a shift per call would be quadratic).
    if (this.head > 3072 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The supervisor connection closed: every call in flight fails, later calls fail at once. */
  disconnected(): void {
    this.connected = false;
    const queue = this.queue.splice(this.head);
    this.head = 0;
    this.queue.length = 0;
    this.batch = "";
    this.batchOps = 0;
    for (let at = 0; at < queue.length; at += 3) (queue[at + 1] as (error: unknown) => void)(disconnectedError());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.batchOps === 0) return;
    const line = `{"type":"store","n":${this.batchOps},"ops":[${this.batch}]}`;
    this.batch = "";
    this.batchOps = 0;
    if (!this.connected || !this.sendLine(line)) this.disconnected();
  }
}

function oversized(fields: string): LskyError | undefined {
  const bytes = new TextEncoder().encode(fields).length;
  if (bytes <= BUS_MAX_MESSAGE_BYTES - 64) return undefined;
  return new LskyError(fields.startsWith("11,") ? "CACHE_TOO_LARGE" : "TABLE_VALUE",
    `Cannot send a store operation of ${bytes} bytes: over the bus limit of ${BUS_MAX_MESSAGE_BYTES - 64} bytes per operation`);
}

function disconnectedError(): LskyError {
  return new LskyError("BUS_DISCONNECTED", "The store call failed: this process lost its connection to the supervisor");
}
