/** What an over-full queue reports: once when it starts dropping, once when it caught up. */
export interface OverflowReport {
  /** The queue passed its limit: messages are being dropped from now on. */
  started(queuedBytes: number): void;
  /** The queue emptied again; `dropped` messages were lost in this episode. */
  ended(dropped: number): void;
}

/**
 * Bounds the bytes written to a socket and not yet taken by the kernel, for
 * one peer. The supervisor writes bus messages to a worker that may not read
 * them (stopped, blocked, or slower than the others broadcast): without a
 * bound the socket's user-space buffer grows for as long as that lasts.
 * Bytes are counted from write to write callback, so the bound holds on
 * every engine (Bun's streams do not report `writableLength` everywhere);
 * a message counts as the length of its JSON line, its bytes for ASCII.
 */
export class OutgoingLimit {
  private queuedBytes = 0;
  private droppedInEpisode = 0;
  private overflowing = false;
  private total = 0;
  private readonly maxBytes: number;
  private readonly report: OverflowReport;

  constructor(maxBytes: number, report: OverflowReport) {
    this.maxBytes = maxBytes;
    this.report = report;
  }

  /**
   * Whether `bytes` more may be queued; when not, the message is counted as
   * dropped. Once over the limit everything is dropped until the queue emptied
   * (the peer caught up), so an episode is one clear gap rather than a trickle
   * of the small messages that still fit.
   */
  admit(bytes: number): boolean {
    if (!this.overflowing && (this.queuedBytes + bytes <= this.maxBytes || this.queuedBytes === 0)) {
      this.queuedBytes += bytes;
      return true;
    }
    if (!this.overflowing) {
      this.overflowing = true;
      this.report.started(this.queuedBytes);
    }
    this.droppedInEpisode++;
    this.total++;
    return false;
  }

  /** The kernel took `bytes` queued earlier (or the socket closed and they are gone). */
  written(bytes: number): void {
    this.queuedBytes -= bytes;
    if (this.queuedBytes > 0 || !this.overflowing) return;
    this.overflowing = false;
    const dropped = this.droppedInEpisode;
    this.droppedInEpisode = 0;
    this.report.ended(dropped);
  }

  queued(): number {
    return this.queuedBytes;
  }

  /** Messages dropped since the start. */
  dropped(): number {
    return this.total;
  }
}
