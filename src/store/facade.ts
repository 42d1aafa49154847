/**
 * What `import { table, cache } from "lsky"` gives an app: a thin facade over
 * the store client the worker (or task worker, or custom process) put on
 * `globalThis.lsky` before it loaded the app, so a copy of lsky in the app's
 * node_modules shares the running server's store (docs/TABLES.md).
 */
import type { Cache, CacheSetOptions, StoreGlobal, Table, TableRow } from "./app-api.ts";

function current(): StoreGlobal {
  const store = (globalThis as { lsky?: { store?: StoreGlobal } }).lsky?.store;
  if (!store) throw new Error('table and cache from "lsky" are only available inside an lsky process');
  return store;
}

/**
 * The shared table `name`, declared in lsky.config.ts.
 *
 * @example
 * import { table } from "lsky";
 * const hits = await table("stats").incr("home", "hits");
 * // Typed rows: table<{ hits: number; name: string }>("stats").get("home")
 */
export function table<Row extends TableRow = TableRow>(name: string): Table<Row> {
  return current().table<Row>(name);
}

/** The cache every process of the server shares. */
export const cache: Cache = {
  get: <T>(key: string) => current().cache.get<T>(key),
  set: (key: string, value: unknown, options?: CacheSetOptions) => current().cache.set(key, value, options),
  delete: (key: string) => current().cache.delete(key),
  incr: (key: string, by?: number) => current().cache.incr(key, by),
};

/** Makes a process's store client reachable by the facade (as `globalThis.lsky.store`). */
export function installStoreGlobal(store: StoreGlobal): void {
  const target = globalThis as { lsky?: { store?: StoreGlobal } };
  target.lsky ??= {};
  target.lsky.store = store;
}
