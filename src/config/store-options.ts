import { parseInteger, parseSize } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/**
 * The shared store's settings (docs/TABLES.md): the tables an app declares,
 * and the bounds of the cache. The store lives in the supervisor, so these
 * are read once at start; a reload keeps the tables and the cache as they are.
 */

/** A column's type: a number (`int` is a safe integer), or a string of at most N UTF-8 bytes. */
export type ColumnType = "int" | "float" | `string:${number}`;

/** One table: at most `size` rows, each with these typed columns. */
export interface TableSpec {
  size: number;
  columns: Record<string, ColumnType>;
}

export interface StoreSettings {
  /** Tables by name, declared in the config file (`tables: { stats: { size, columns } }`). */
  tables: Record<string, TableSpec>;
  /** Most entries the cache holds before it evicts the least recently used. */
  cacheMaxEntries: number;
  /** Most bytes (keys and JSON values) the cache holds before it evicts the least recently used. */
  cacheMaxBytes: number;
}

/** Rows in one table at most: the store preallocates its number columns. */
export const MAX_TABLE_ROWS = 16_777_216;
/** The longest string column, in bytes. */
export const MAX_STRING_COLUMN = 1_048_576;
const NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/** Checks a `tables` declaration; throws a RangeError saying what is wrong. */
export function parseTables(value: unknown): Record<string, TableSpec> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RangeError("expected an object of tables, such as { stats: { size: 1024, columns: { hits: \"int\" } } }");
  }
  const tables: Record<string, TableSpec> = {};
  for (const [name, spec] of Object.entries(value)) {
    if (!NAME.test(name)) throw new RangeError(`expected table names of letters, digits, "_", "." or "-", got "${name}"`);
    tables[name] = parseTableSpec(name, spec);
  }
  return tables;
}

function parseTableSpec(name: string, spec: unknown): TableSpec {
  const { size, columns } = (spec ?? {}) as { size?: unknown; columns?: unknown };
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > MAX_TABLE_ROWS) {
    throw new RangeError(`expected table "${name}" to have a size from 1 to ${MAX_TABLE_ROWS} rows, got ${JSON.stringify(size)}`);
  }
  if (typeof columns !== "object" || columns === null || Array.isArray(columns) || Object.keys(columns).length === 0) {
    throw new RangeError(`expected table "${name}" to have columns, such as { hits: "int", score: "float", name: "string:64" }`);
  }
  const checked: Record<string, ColumnType> = {};
  for (const [column, type] of Object.entries(columns)) {
    if (!NAME.test(column)) throw new RangeError(`expected column names of letters, digits, "_", "." or "-" in table "${name}", got "${column}"`);
    checked[column] = parseColumnType(name, column, type);
  }
  return { size, columns: checked };
}

function parseColumnType(table: string, column: string, type: unknown): ColumnType {
  if (type === "int" || type === "float") return type;
  const match = typeof type === "string" ? /^string:(\d+)$/.exec(type) : null;
  const length = match ? Number(match[1]) : 0;
  if (length < 1 || length > MAX_STRING_COLUMN) {
    throw new RangeError(`expected column "${column}" of table "${table}" to be "int", "float" or "string:N" (N from 1 to ${MAX_STRING_COLUMN} bytes), got ${JSON.stringify(type)}`);
  }
  return `string:${length}`;
}

const setting = settingFor<StoreSettings>();

export const STORE_SETTINGS = [
  setting({
    key: "tables", group: "store", flag: "tables", env: ["LSKY_TABLES"], valueName: "JSON",
    description: 'Shared tables, as JSON: {"stats":{"size":1024,"columns":{"hits":"int","name":"string:64"}}} (usually in lsky.config.ts)',
    parse: (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new RangeError("expected a JSON object of tables");
      }
      return parseTables(value);
    },
    fromFile: (value) => parseTables(value),
    defaultValue: () => ({}),
  }),
  setting({
    key: "cacheMaxEntries", group: "store", flag: "cache-max-entries", env: ["LSKY_CACHE_MAX_ENTRIES"], valueName: "N",
    description: "Entries the shared cache holds; past it the least recently used are evicted",
    parse: (t) => parseInteger(t, 1, 100_000_000),
    defaultValue: () => 100_000,
  }),
  setting({
    key: "cacheMaxBytes", group: "store", flag: "cache-max-bytes", env: ["LSKY_CACHE_MAX_BYTES"], valueName: "SIZE",
    description: "Bytes (keys and JSON values) the shared cache holds; past it the least recently used are evicted",
    parse: (t) => parseSize(t, 64 * 1024 ** 3),
    defaultValue: () => 64 * 1024 * 1024,
  }),
] as const;

/** The config file's `cache: { maxEntries, maxBytes }`, as the settings it stands for. */
export const CACHE_FILE_KEYS = { maxEntries: "cacheMaxEntries", maxBytes: "cacheMaxBytes" } as const;
