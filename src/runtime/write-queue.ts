const encoder = new TextEncoder();

interface Waiting {
  bytes: Uint8Array;
  done?: () => void;
}

/**
 * What a socket did not take at once, in order, each part with what to call
 * once the kernel has it: the buffering node:net does for its writes, for a
 * socket whose write takes what fits and says how much (Bun.connect's).
 * `write` returns the bytes taken; a negative count (a closed socket) counts
 * as none.
 */
export class WriteQueue {
  readonly #waiting: Waiting[] = [];
  readonly #write: (data: string | Uint8Array) => number;

  constructor(write: (data: string | Uint8Array) => number) {
    this.#write = write;
  }

  /** True when nothing waits for the socket. */
  get empty(): boolean {
    return this.#waiting.length === 0;
  }

  /** Writes `text` now, or after what already waits; `done` runs once all of it is written. */
  write(text: string, done?: () => void): void {
    if (this.#waiting.length > 0) {
      this.#waiting.push({ bytes: encoder.encode(text), done });
      return;
    }
    const taken = Math.max(0, this.#write(text));
    // Most writes fit, and then the text is never encoded here.
    if (taken >= text.length && taken === byteLength(text)) return void done?.();
    this.#waiting.push({ bytes: encoder.encode(text).subarray(taken), done });
  }

  /** The socket can take more (its drain event): writes what waits. True once nothing waits. */
  flush(): boolean {
    while (this.#waiting.length > 0) {
      const first = this.#waiting[0]!;
      const taken = Math.max(0, this.#write(first.bytes));
      if (taken < first.bytes.byteLength) {
        first.bytes = first.bytes.subarray(taken);
        return false;
      }
      this.#waiting.shift();
      first.done?.();
    }
    return true;
  }

  /** The socket closed: what waits is never written, and its callbacks never run (as on node:net). */
  clear(): void {
    this.#waiting.length = 0;
  }
}

/** UTF-8 length of a string, counted only when it has a character above U+007F. */
function byteLength(text: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}
