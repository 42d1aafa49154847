/**
 * Remembers, for a short time, the request paths that named no file under the
 * static directory. Most requests are for the app, not for a file; without
 * this each of them costs a stat (measured: about a fifth of Bun's time for a
 * small app route). A file added to the directory is served once its path's
 * memory lapses. Bounded: when full it starts over, so a client asking for
 * many distinct paths costs memory only up to the bound.
 */
export class MissMemo {
  readonly #expiry = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(ttlMs: number, maxEntries: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** True while `key` is remembered as a miss. */
  has(key: string): boolean {
    const expiry = this.#expiry.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.#now()) return true;
    this.#expiry.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.#expiry.size >= this.#maxEntries) this.#expiry.clear();
    this.#expiry.set(key, this.#now() + this.#ttlMs);
  }

  get size(): number {
    return this.#expiry.size;
  }
}
