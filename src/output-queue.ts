import type { RawWrite } from "./runtime/std-output.ts";

export interface OutputQueueOptions {
  write: RawWrite;
  /** Most bytes waiting to be written; lines past it are dropped and counted. */
  maxBytes: number;
  /** The line (with its newline) that reports `count` dropped lines once the output caught up. */
  notice: (count: number) => string;
}

// One write takes up to this many queued bytes at once.
const BATCH_BYTES = 64 * 1024;
const encoder = new TextEncoder();

/**
 * A bounded queue in front of stdout or stderr. Writes never block the event
 * loop and never throw: when the reader is slow (a pipe nobody reads) the
 * queue fills to `maxBytes` and further lines are dropped and counted; once
 * it is empty again one notice says how many were lost. A failing output
 * (EPIPE after the reader exited, ENOSPC on a full disk) loses what it was
 * given, counted too, and keeps trying with the next line.
 *
 * Producers that can wait (the relay of a worker's output) ask `pressed()`
 * and hold off until `whenRelieved()`: a reader that is merely slower than a
 * burst then loses nothing. If the queue does not drain within the hold, it
 * counts as stuck, and until it has emptied producers no longer wait: lines
 * are dropped instead.
 */
export class OutputQueue {
  private readonly chunks: Uint8Array[] = [];
  private queuedBytes = 0;
  private pumping = false;
  private droppedInEpisode = 0;
  private lost = 0;
  private idle: Array<() => void> = [];
  private relieved: Array<() => void> = [];
  private stuck = false;
  private readonly options: OutputQueueOptions;

  constructor(options: OutputQueueOptions) {
    this.options = options;
  }

  /** Queues `text` (whole lines); false when it was dropped. */
  write(text: string): boolean {
    return this.writeBytes(encoder.encode(text));
  }

  /** Queues whole lines already encoded; false when they were dropped. */
  writeBytes(bytes: Uint8Array): boolean {
    if (this.queuedBytes + bytes.length > this.options.maxBytes) {
      // Counted only when dropped: most writes are never dropped.
      const dropped = Math.max(countNewlines(bytes), 1);
      this.droppedInEpisode += dropped;
      this.lost += dropped;
      return false;
    }
    this.chunks.push(bytes);
    this.queuedBytes += bytes.length;
    if (!this.pumping) void this.pump();
    return true;
  }

  /** Lines dropped or lost to write errors since the start. */
  droppedLines(): number {
    return this.lost;
  }

  queued(): number {
    return this.queuedBytes;
  }

  /** Past half full, and not stuck: a producer that can wait should. */
  pressed(): boolean {
    return !this.stuck && this.queuedBytes >= this.options.maxBytes / 2;
  }

  /** Resolves once the queue is down to a quarter, or after `holdMs` (then it counts as stuck until it empties). */
  whenRelieved(holdMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stuck = true;
        this.relieved = this.relieved.filter((waiter) => waiter !== done);
        resolve();
      }, holdMs);
      const done = () => (clearTimeout(timer), resolve());
      this.relieved.push(done);
    });
  }

  /** Resolves once everything queued was written, or after `timeoutMs` (an output that never drains). */
  flush(timeoutMs: number): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => (clearTimeout(timer), resolve()));
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.chunks.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.options.write(batch);
      } catch {
        this.lost += countNewlines(batch);
      }
      this.queuedBytes -= batch.length;
      if (this.queuedBytes <= this.options.maxBytes / 4) for (const resolve of this.relieved.splice(0)) resolve();
      if (this.chunks.length === 0) this.stuck = false;
      if (this.chunks.length === 0 && this.droppedInEpisode > 0) this.queueNotice();
    }
    this.pumping = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private takeBatch(): Uint8Array {
    let size = 0;
    let count = 0;
    while (count < this.chunks.length && (count === 0 || size + this.chunks[count]!.length <= BATCH_BYTES)) {
      size += this.chunks[count]!.length;
      count++;
    }
    const taken = this.chunks.splice(0, count);
    if (taken.length === 1) return taken[0]!;
    const batch = new Uint8Array(size);
    let offset = 0;
    for (const chunk of taken) (batch.set(chunk, offset), offset += chunk.length);
    return batch;
  }

  private queueNotice(): void {
    const bytes = encoder.encode(this.options.notice(this.droppedInEpisode));
    this.droppedInEpisode = 0;
    this.chunks.push(bytes);
    this.queuedBytes += bytes.length;
  }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) if (byte === 10) count++;
  return count;
}
