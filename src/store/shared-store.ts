import type { StoreSettings } from "../config/store-options.ts";
import { isLskyError, LskyError } from "../errors.ts";
import { CacheStore, type CacheCounters } from "./cache-store.ts";
import { OP, OP_FIELDS, type StoreBatch } from "./protocol.ts";
import { TableStore } from "./table-store.ts";

/** What /metrics shows of the store. */
export interface StoreMetrics {
  tables: { name: string; rows: number; size: number }[];
  cache: CacheCounters;
}

/** How often the supervisor removes expired cache entries that nobody asked for. */
export const CACHE_SWEEP_MS = 1000;

/**
 * The tables and the cache every process shares, held by the supervisor.
 * `run` executes one batch from a process and returns the reply line, written
 * as text directly (rows and cached values are JSON already) so answering
 * costs no object per result.
 */
export class SharedStore {
  private readonly tables = new Map<string, TableStore>();
  readonly cache: CacheStore;

  constructor(settings: StoreSettings, now: () => number) {
    for (const [name, spec] of Object.entries(settings.tables)) this.tables.set(name, new TableStore(name, spec));
    this.cache = new CacheStore({ maxEntries: settings.cacheMaxEntries, maxBytes: settings.cacheMaxBytes }, now);
  }

  table(name: unknown): TableStore {
    const table = typeof name === "string" ? this.tables.get(name) : undefined;
    if (table) return table;
    const known = [...this.tables.keys()];
    throw new LskyError("TABLE_UNKNOWN", `No table named ${JSON.stringify(name)}: ${known.length ? `the tables are ${known.join(", ")}` : "no table is declared"}`, {
      hint: "Declare it in lsky.config.ts: tables: { name: { size: 1024, columns: { hits: \"int\" } } }",
    });
  }

  /** Runs a process's batch in order and returns the reply as one line of JSON. */
  serve(batch: StoreBatch): string {
    const ops = Array.isArray(batch.ops) ? batch.ops : [];
    const n = Number.isInteger(batch.n) && batch.n > 0 ? Math.min(batch.n, ops.length) : 0;
    return this.run(n, ops);
  }

  // One loop over the batch, appending each result as text: no object per result.
  private run(n: number, ops: unknown[]): string {
    let results = "";
    let undefinedAt = "";
    let errors = "";
    let at = 0;
    for (let i = 0; i < n; i++) {
      const code = ops[at] as number;
      const fields = OP_FIELDS[code];
      let text: string | undefined;
      if (fields === undefined) {
        errors += `${errors ? "," : ""}${i},"TABLE_VALUE","Unknown store operation ${JSON.stringify(code)}"`;
        text = "null";
        // The rest cannot be read without the fields of this one: fail them too.
        for (let j = i + 1; j < n; j++) errors += `,${j},"TABLE_VALUE","Unreadable store batch"`;
        results += (i === 0 ? "" : ",") + text + ",null".repeat(n - i - 1);
        break;
      }
      try {
        text = this.runOne(code, ops, at + 1);
      } catch (error) {
        const failure = isLskyError(error) ? error : new LskyError("TABLE_VALUE", error instanceof Error ? error.message : String(error));
        errors += `${errors ? "," : ""}${i},${JSON.stringify(failure.code)},${JSON.stringify(failure.message)}`;
        text = "null";
      }
      if (text === undefined) {
        undefinedAt += undefinedAt ? `,${i}` : `${i}`;
        text = "null";
      }
      results += i === 0 ? text : `,${text}`;
      at += fields + 1;
    }
    let line = `{"type":"store-reply","r":[${results}]`;
    if (undefinedAt) line += `,"u":[${undefinedAt}]`;
    if (errors) line += `,"e":[${errors}]`;
    return `${line}}`;
  }

  /** One operation whose fields start at `at`; its result as JSON text, or undefined. */
  private runOne(code: number, ops: unknown[], at: number): string | undefined {
    switch (code) {
      case OP.TABLE_GET:
        return this.table(ops[at]).getJson(key(ops[at + 1]));
      case OP.TABLE_SET:
        this.table(ops[at]).set(key(ops[at + 1]), ops[at + 2]);
        return "null";
      case OP.TABLE_INCR:
        return String(this.table(ops[at]).incr(key(ops[at + 1]), ops[at + 2] as string, ops[at + 3]));
      case OP.TABLE_DEL:
        return this.table(ops[at]).del(key(ops[at + 1])) ? "true" : "false";
      case OP.TABLE_COUNT:
        return String(this.table(ops[at]).count());
      case OP.TABLE_KEYS:
        return JSON.stringify(this.table(ops[at]).keys());
      case OP.CACHE_GET:
        return this.cache.getJson(key(ops[at]));
      case OP.CACHE_SET:
        this.cache.set(key(ops[at]), jsonText(ops[at + 1]), ttl(ops[at + 2]));
        return "null";
      case OP.CACHE_DELETE:
        return this.cache.delete(key(ops[at])) ? "true" : "false";
      default: // OP.CACHE_INCR
        return String(this.cache.incr(key(ops[at]), finite(ops[at + 1])));
    }
  }

  metrics(): StoreMetrics {
    return {
      tables: [...this.tables.values()].map((table) => ({ name: table.name, rows: table.count(), size: table.size })),
      cache: this.cache.stats(),
    };
  }
}

// The client checks these before it sends (with TypeErrors naming the
// argument); these checks keep a process that skipped them from corrupting the store.
function key(value: unknown): string {
  if (typeof value !== "string") throw new LskyError("TABLE_VALUE", `A store key must be a string, got ${typeof value}`);
  return value;
}

function jsonText(value: unknown): string {
  if (typeof value !== "string" || value === "") throw new LskyError("CACHE_VALUE", "A cached value must arrive as JSON text");
  return value;
}

function ttl(value: unknown): number {
  if (typeof value !== "number" || !(value >= 0)) throw new LskyError("CACHE_VALUE", `A cache TTL must be a number of ms from 0, got ${String(value)}`);
  return value;
}

function finite(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new LskyError("CACHE_VALUE", `A cache incr must add a finite number, got ${String(value)}`);
  return value;
}
