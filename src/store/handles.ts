import { parseDuration } from "../config/parse-value.ts";
import { LskyError } from "../errors.ts";
import type { Cache, CacheSetOptions, Table, TableRow } from "./app-api.ts";
import { OP } from "./protocol.ts";
import { utf8Length } from "./utf8-length.ts";

/** The longest key a table or the cache takes, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 512;

const RESULT = 0;
const VOID = 1;

/** What the handles send through: StoreClient's `call`. */
export interface StoreCaller {
  call(fields: string, shape: number): Promise<unknown>;
}

/**
 * The app-facing handles: each method checks its arguments, encodes its
 * operation's fields as JSON text and hands them to the client. Values are
 * checked by the supervisor, which knows the columns; what JSON cannot carry
 * faithfully (undefined, NaN, a BigInt) is refused here, never sent mangled.
 */
export function createTable(client: StoreCaller, name: string): Table {
  const table = JSON.stringify(name);
  const onKey = (code: number, key: string) => `${code},${table},${keyJson(key)}`;
  // Each method encodes inside a try rather than through a callback: no closure per call.
  return {
    get(key) {
      try {
        return client.call(onKey(OP.TABLE_GET, key), RESULT) as Promise<TableRow | undefined>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    set(key, row) {
      try {
        return client.call(`${onKey(OP.TABLE_SET, key)},${rowJson(name, key, row)}`, VOID) as Promise<void>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    incr(key, column, by = 1) {
      try {
        return client.call(`${onKey(OP.TABLE_INCR, key)},${columnJson(column)},${amount(by, "TABLE_VALUE", `"${column}" of "${key}" in table "${name}"`)}`, RESULT) as Promise<number>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    del(key) {
      try {
        return client.call(onKey(OP.TABLE_DEL, key), RESULT) as Promise<boolean>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    count: () => client.call(`${OP.TABLE_COUNT},${table}`, RESULT) as Promise<number>,
    keys: () => client.call(`${OP.TABLE_KEYS},${table}`, RESULT) as Promise<string[]>,
  };
}

export function createCache(client: StoreCaller): Cache {
  return {
    get<T>(key: string) {
      try {
        return client.call(`${OP.CACHE_GET},${keyJson(key)}`, RESULT) as Promise<T | undefined>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    set(key, value, options) {
      try {
        return client.call(`${OP.CACHE_SET},${keyJson(key)},${JSON.stringify(valueJson(key, value))},${ttlMs(options)}`, VOID) as Promise<void>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    delete(key) {
      try {
        return client.call(`${OP.CACHE_DELETE},${keyJson(key)}`, RESULT) as Promise<boolean>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    incr(key, by = 1) {
      try {
        return client.call(`${OP.CACHE_INCR},${keyJson(key)},${amount(by, "CACHE_VALUE", `"${key}" in the cache`)}`, RESULT) as Promise<number>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

function columnJson(column: string): string {
  if (typeof column !== "string") throw new TypeError(`A column name must be a string, got ${typeof column}`);
  return JSON.stringify(column);
}

/** What incr adds: a finite number, refused with `code` otherwise. */
function amount(by: unknown, code: "TABLE_VALUE" | "CACHE_VALUE", what: string): number {
  if (typeof by === "number" && Number.isFinite(by)) return by;
  throw new LskyError(code, `Cannot incr ${what}: expected a finite number to add, got ${String(by)}`);
}

function valueJson(key: string, value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Cannot cache "${key}": ${typeof value} is not a JSON value`);
  return json;
}

function keyJson(key: string): string {
  if (typeof key !== "string") throw new TypeError(`A key must be a string, got ${typeof key}`);
  if (key.length * 3 > MAX_KEY_BYTES && utf8Length(key) > MAX_KEY_BYTES) {
    throw new RangeError(`A key may be at most ${MAX_KEY_BYTES} bytes, got ${utf8Length(key)}`);
  }
  return JSON.stringify(key);
}

function rowJson(table: string, key: string, row: unknown): string {
  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    throw new LskyError("TABLE_VALUE", `Cannot set "${key}" in table "${table}": expected an object of columns, got ${row === null ? "null" : Array.isArray(row) ? "an array" : typeof row}`);
  }
  for (const column in row) {
    const value = (row as Record<string, unknown>)[column];
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) continue;
    throw new LskyError("TABLE_VALUE", `Cannot set "${column}" of "${key}" in table "${table}": expected a finite number or a string, got ${typeof value === "number" ? String(value) : typeof value}`);
  }
  return JSON.stringify(row);
}

function ttlMs(options: CacheSetOptions | undefined): number {
  const ttl = options?.ttl;
  if (ttl === undefined) return 0;
  if (typeof ttl === "number") {
    if (!Number.isFinite(ttl) || ttl < 0) throw new RangeError(`A cache ttl must be a number of ms from 0, got ${ttl}`);
    return Math.ceil(ttl);
  }
  // A bare number as text would be seconds elsewhere in lsky: ask for the unit instead of guessing.
  if (typeof ttl !== "string" || /^\s*\d+(\.\d+)?\s*$/.test(ttl)) {
    throw new RangeError(`A cache ttl must be ms or a duration with a unit such as "30s", got ${JSON.stringify(ttl)}`);
  }
  return parseDuration(ttl);
}
