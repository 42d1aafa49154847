import { LskyError } from "../errors.ts";
import { utf8Length } from "./utf8-length.ts";

interface Entry {
  /** The value as JSON text, as the client sent it and as it goes back. */
  json: string;
  /** The key's and the value's UTF-8 bytes: what counts towards maxBytes. */
  bytes: number;
  /** Monotonic ms after which the entry is gone; Infinity: never. */
  expiresAt: number;
}

export interface CacheBounds {
  maxEntries: number;
  maxBytes: number;
}

export interface CacheCounters {
  entries: number;
  bytes: number;
  /** Entries removed to make room, least recently used first. */
  evictions: number;
  /** Entries removed because their TTL passed. */
  expirations: number;
  hits: number;
  misses: number;
}

/**
 * The shared cache (docs/TABLES.md): JSON values by key, bounded in entries
 * and bytes, the least recently used evicted first. A Map keeps insertion
 * order, so moving an entry to its end on each use makes its first key the
 * least recently used. Time is read from `now` (monotonic ms), so an entry's
 * TTL does not move when the wall clock steps; an expired entry is never
 * returned, whether or not a sweep has removed it yet.
 */
export class CacheStore {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Entries with a TTL: a sweep has nothing to do without them. */
  private expiring = 0;
  private readonly counters = { evictions: 0, expirations: 0, hits: 0, misses: 0 };

  constructor(private readonly bounds: CacheBounds, private readonly now: () => number) {}

  /** The value's JSON text, or undefined when the key is absent or expired. */
  getJson(key: string): string | undefined {
    const entry = this.live(key);
    if (!entry) {
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.json;
  }

  /**
   * Stores `json` (a value's JSON text) for `ttl` ms (0: no TTL), evicting the
   * least recently used until it fits. A value that could never fit fails
   * with CACHE_TOO_LARGE and leaves the cache as it was.
   */
  set(key: string, json: string, ttl: number): void {
    const bytes = utf8Length(key) + utf8Length(json);
    if (bytes > this.bounds.maxBytes) {
      throw new LskyError("CACHE_TOO_LARGE", `Cannot cache "${clip(key)}": it takes ${bytes} bytes, over the cache's maxBytes of ${this.bounds.maxBytes}`, {
        hint: "Store a smaller value, or raise cache.maxBytes in lsky.config.ts",
      });
    }
    this.remove(key);
    const expiresAt = ttl > 0 ? this.now() + ttl : Infinity;
    this.insert(key, { json, bytes, expiresAt });
  }

  /** Adds `by` to a number value (0 when absent or expired) and returns it; the entry keeps its TTL. */
  incr(key: string, by: number): number {
    const entry = this.live(key);
    const current = entry ? Number(entry.json) : 0;
    if (entry && !isNumberJson(entry.json)) {
      throw new LskyError("CACHE_VALUE", `Cannot incr "${clip(key)}" in the cache: its value is not a number`);
    }
    const next = current + by;
    if (!Number.isFinite(next)) throw new LskyError("CACHE_VALUE", `Cannot incr "${clip(key)}" in the cache: ${current} + ${by} is not a finite number`);
    const json = String(next);
    if (entry) {
      // In place: the bytes change by a few digits, and its TTL stays.
      const bytes = entry.bytes - entry.json.length + json.length;
      this.bytes += bytes - entry.bytes;
      entry.json = json;
      entry.bytes = bytes;
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.evictOver();
    } else {
      this.set(key, json, 0);
    }
    return next;
  }

  /** Removes the key; false when it was absent (or had expired). */
  delete(key: string): boolean {
    const live = this.live(key) !== undefined;
    this.remove(key);
    return live;
  }

  /** Removes every expired entry; cheap when no entry has a TTL. */
  sweep(): void {
    if (this.expiring === 0) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.remove(key);
        this.counters.expirations++;
      }
    }
  }

  stats(): CacheCounters {
    return { entries: this.entries.size, bytes: this.bytes, ...this.counters };
  }

  /** The entry unless it expired (then it is removed and counted). */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt === Infinity || entry.expiresAt > this.now()) return entry;
    this.remove(key);
    this.counters.expirations++;
    return undefined;
  }

  private insert(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    if (entry.expiresAt !== Infinity) this.expiring++;
    this.evictOver();
  }

  private evictOver(): void {
    while (this.entries.size > this.bounds.maxEntries || this.bytes > this.bounds.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
      this.counters.evictions++;
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    if (entry.expiresAt !== Infinity) this.expiring--;
  }
}

/** JSON text of a number starts with a digit or "-"; no other JSON value does. */
function isNumberJson(json: string): boolean {
  const first = json.charCodeAt(0);
  return first === 45 || (first >= 48 && first <= 57);
}

function clip(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}...` : key;
}
