import type { Coding } from "../accept-encoding.ts";
import { type FileValidators, validatorsFor } from "./conditional.ts";
import type { FoundFile } from "./find-file.ts";

/** What a static path resolved to, kept between requests (HotFiles). */
export interface HotFile {
  readonly file: FoundFile;
  readonly validators: FileValidators;
  /** Precompressed files beside it (`app.js.br`), in preference order. */
  readonly siblings: ReadonlyMap<Coding, { file: FoundFile; validators: FileValidators }>;
  readonly contentType: string;
  readonly cacheControl: string | undefined;
  /** The file's bytes, once read, when it is small enough to keep. */
  bytes?: Uint8Array;
  /** Their text form for the engine (TextBody): undefined until asked for, null when they are not text. */
  text?: string | null;
  /** The file compressed here (--compress), by coding. */
  readonly compressed: Map<Coding, Uint8Array>;
  /** Monotonic ms of the last look at the disk. */
  checkedAt: number;
}

export interface HotFilesOptions {
  /** How long a path's lookup is trusted before the disk is looked at again. */
  freshMs: number;
  /** Bytes of file contents (and compressed forms) kept in all. */
  budgetBytes: number;
  /** Largest file whose bytes are kept. */
  maxFileBytes: number;
  /** Paths remembered at once, bytes kept or not. */
  maxEntries: number;
  now: () => number;
}

/**
 * The static files a worker served lately: where each path led (the real
 * path, size, mtime, siblings, headers) and, for small files, the bytes.
 * Without it every request for a file cost a stat, a realpath, a stat per
 * precompressed sibling and a read. A path is looked up again on disk once
 * its entry is older than `freshMs`, so a changed file is served within that
 * time, as a new file is (the miss memo). When the bytes kept pass the
 * budget, or the paths the bound, the oldest entries go first.
 */
export class HotFiles {
  readonly #entries = new Map<string, HotFile>();
  #bytes = 0;

  constructor(readonly options: HotFilesOptions) {}

  /** The entry for `key` if it was looked up on disk recently enough. */
  fresh(key: string): HotFile | undefined {
    const entry = this.#entries.get(key);
    return entry && this.options.now() - entry.checkedAt < this.options.freshMs ? entry : undefined;
  }

  /**
   * Records what a lookup on disk found. The old entry (with its bytes) is
   * kept when the files are the same ones, unchanged.
   */
  remember(key: string, found: Omit<HotFile, "compressed" | "checkedAt" | "validators" | "siblings"> & { siblings: ReadonlyMap<Coding, FoundFile> }): HotFile {
    const now = this.options.now();
    const old = this.#entries.get(key);
    if (old && sameFiles(old, found)) {
      old.checkedAt = now;
      return old;
    }
    if (old) this.#forget(key, old);
    else if (this.#entries.size >= this.options.maxEntries) this.#forgetOldest();
    const siblings = new Map([...found.siblings].map(([coding, file]) => [coding, { file, validators: validatorsFor(file.size, file.mtimeMs) }]));
    const entry: HotFile = { ...found, siblings, validators: validatorsFor(found.file.size, found.file.mtimeMs), compressed: new Map(), checkedAt: now };
    this.#entries.set(key, entry);
    return entry;
  }

  /** Whether a file of this size may be kept in memory. */
  keeps(size: number): boolean {
    return size <= this.options.maxFileBytes && size <= this.options.budgetBytes;
  }

  /** Counts bytes newly kept by an entry (its contents or a compressed form) against the budget. */
  charge(bytes: number): void {
    this.#bytes += bytes;
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.options.budgetBytes) return;
      this.#forget(key, entry);
    }
  }

  /** Bytes of contents kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  #forgetOldest(): void {
    const [key, entry] = this.#entries.entries().next().value!;
    this.#forget(key, entry);
  }

  #forget(key: string, entry: HotFile): void {
    this.#entries.delete(key);
    this.#bytes -= (entry.bytes?.byteLength ?? 0) + (entry.text ? textMemory(entry.text) : 0) + [...entry.compressed.values()].reduce((n, b) => n + b.byteLength, 0);
  }
}

/** What a string takes in memory: one byte a character, two when one is beyond Latin-1. */
export function textMemory(text: string): number {
  return /[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length;
}

function sameFile(a: FoundFile, b: FoundFile): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function sameFiles(old: HotFile, found: { file: FoundFile; siblings: ReadonlyMap<Coding, FoundFile> }): boolean {
  if (!sameFile(old.file, found.file) || old.siblings.size !== found.siblings.size) return false;
  for (const [coding, sibling] of found.siblings) {
    const kept = old.siblings.get(coding);
    if (!kept || !sameFile(kept.file, sibling)) return false;
  }
  return true;
}
