import type { StoreMetrics } from "./shared-store.ts";

/**
 * The store's Prometheus families. Table names are limited to letters,
 * digits and `_.-` (config/store-options.ts), so they need no escaping.
 */
export function storeMetricLines(
  store: StoreMetrics,
  family: (name: string, type: string, help: string) => void,
  lines: string[],
): void {
  if (store.tables.length > 0) {
    family("lsky_table_rows", "gauge", "Rows in each shared table.");
    for (const table of store.tables) lines.push(`lsky_table_rows{table="${table.name}"} ${table.rows}`);
    family("lsky_table_size", "gauge", "Rows each shared table can hold (its declared size).");
    for (const table of store.tables) lines.push(`lsky_table_size{table="${table.name}"} ${table.size}`);
  }
  const { cache } = store;
  const gauge = (name: string, help: string, value: number) => (family(name, "gauge", help), lines.push(`${name} ${value}`));
  const counter = (name: string, help: string, value: number) => (family(name, "counter", help), lines.push(`${name} ${value}`));
  gauge("lsky_cache_entries", "Entries in the shared cache.", cache.entries);
  gauge("lsky_cache_bytes", "Bytes (keys and JSON values) in the shared cache.", cache.bytes);
  counter("lsky_cache_evictions_total", "Cache entries evicted to make room, least recently used first.", cache.evictions);
  counter("lsky_cache_expirations_total", "Cache entries removed because their TTL passed.", cache.expirations);
  counter("lsky_cache_hits_total", "Cache gets that found a live entry.", cache.hits);
  counter("lsky_cache_misses_total", "Cache gets that found no entry, or an expired one.", cache.misses);
}
