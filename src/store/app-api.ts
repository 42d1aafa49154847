/**
 * The shared tables and cache as an app sees them: `table(name)` and `cache`
 * from "lsky", or `ctx.table(name)` and `ctx.cache` in `fetch(request, ctx)`.
 * Every process of the server (HTTP workers, task workers, custom processes)
 * sees the same rows and entries. Full description: docs/TABLES.md.
 */

/** A row as read back: each declared column, numbers for `int` and `float`, strings for `string:N`. */
export type TableRow = Record<string, number | string>;

/** One table declared in lsky.config.ts. Every method fails with an LskyError (`code`) as listed. */
export interface Table<Row extends TableRow = TableRow> {
  /** The row, or undefined when there is none. */
  get(key: string): Promise<Row | undefined>;
  /**
   * Writes the columns given; the others keep their value (0 or "" in a new
   * row). TABLE_VALUE for an unknown column or a value its column cannot hold
   * (nothing is written), TABLE_FULL when a new row does not fit.
   */
  set(key: string, row: Partial<Row>): Promise<void>;
  /** Adds `by` (default 1) to a number column, atomically across the pool; creates the row when missing. */
  incr(key: string, column: keyof Row & string, by?: number): Promise<number>;
  /** Removes the row; false when there was none. */
  del(key: string): Promise<boolean>;
  /** Rows in the table. */
  count(): Promise<number>;
  /** Every key, in the order the rows were added. */
  keys(): Promise<string[]>;
}

export interface CacheSetOptions {
  /** How long the entry lives: milliseconds, or a duration such as "30s", "5m", "500ms". Absent or 0: until evicted. */
  ttl?: number | string;
}

/** The shared cache: JSON values, least recently used evicted first past `cache: { maxEntries, maxBytes }`. */
export interface Cache {
  /** The value (as JSON gives it back), or undefined when absent or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a JSON value; CACHE_TOO_LARGE when it could never fit the cache's maxBytes. */
  set(key: string, value: unknown, options?: CacheSetOptions): Promise<void>;
  /** Removes the entry; false when there was none. */
  delete(key: string): Promise<boolean>;
  /** Adds `by` (default 1) to a number value, atomically; an absent key counts from 0. CACHE_VALUE when the value is not a number. */
  incr(key: string, by?: number): Promise<number>;
}

/** What the worker puts on `globalThis.lsky` for the facade. */
export interface StoreGlobal {
  table<Row extends TableRow = TableRow>(name: string): Table<Row>;
  cache: Cache;
}
