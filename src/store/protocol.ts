/**
 * The store's bus messages (docs/TABLES.md). A process sends its operations
 * in batches, each a flat array of operations with a fixed number of fields
 * per code, and the supervisor answers each batch with one reply holding one
 * result per operation, in order. Batches are answered in the order they
 * arrive (the store runs them synchronously), so the client matches replies
 * to its calls by order alone, as a Redis pipeline does: no ids.
 */

/** Operation codes, and the fields that follow each in `ops`. */
export const OP = {
  /** table, key → row | undefined */
  TABLE_GET: 1,
  /** table, key, row → undefined */
  TABLE_SET: 2,
  /** table, key, column, by → number */
  TABLE_INCR: 3,
  /** table, key → boolean */
  TABLE_DEL: 4,
  /** table → number */
  TABLE_COUNT: 5,
  /** table → string[] */
  TABLE_KEYS: 6,
  /** key → value | undefined */
  CACHE_GET: 10,
  /** key, JSON text of the value, ttl ms (0: none) → undefined */
  CACHE_SET: 11,
  /** key → boolean */
  CACHE_DELETE: 12,
  /** key, by → number */
  CACHE_INCR: 13,
} as const;

/** How many fields follow each code. */
export const OP_FIELDS: Record<number, number> = {
  [OP.TABLE_GET]: 2, [OP.TABLE_SET]: 3, [OP.TABLE_INCR]: 4, [OP.TABLE_DEL]: 2, [OP.TABLE_COUNT]: 1, [OP.TABLE_KEYS]: 1,
  [OP.CACHE_GET]: 1, [OP.CACHE_SET]: 3, [OP.CACHE_DELETE]: 1, [OP.CACHE_INCR]: 2,
};

/** A process's batch: `n` operations, flattened into `ops`. */
export interface StoreBatch {
  type: "store";
  n: number;
  ops: unknown[];
}

/**
 * The supervisor's answer: `r` has one result per operation. `u` lists the
 * indexes whose result is undefined (a missing row or key: JSON has no
 * undefined, and a cached null is a value); `e` lists failures as
 * [index, code, message, ...], their `r` being null.
 */
export interface StoreReply {
  type: "store-reply";
  r: unknown[];
  u?: number[];
  e?: (number | string)[];
}

/** The largest batch line a client builds before it sends (one operation may be larger, up to the bus limit). */
export const STORE_BATCH_BYTES = 64 * 1024;
