import { setImmediate } from "node:timers";
import type { WireFrame } from "./payload.ts";

/** One publish as it crosses the bus. */
export interface PublishEntry extends WireFrame {
  t: string;
  /** The connection that published, which must not get its own message. */
  x?: string;
}

// A batch stays well under the bus's 1 MiB line limit even if every
// character took three bytes of UTF-8; a larger publish goes out alone, at
// once, so that the bus's size error still reaches the caller.
export const BATCH_CHARS = 256 * 1024;

const entryChars = (entry: PublishEntry) => entry.t.length + (entry.s ?? entry.b ?? "").length + (entry.x?.length ?? 0);

/**
 * Gathers the publishes of one event-loop turn into one bus message. A
 * publisher's messages arrive in bursts (several WebSocket frames read at
 * once); one bus line per publish cost a write and a read in this worker,
 * the supervisor and every other worker per message, and left the receiving
 * worker publishing one frame per loop turn, where Bun cannot coalesce its
 * sends to a subscriber.
 */
export class PublishBatcher {
  #entries: PublishEntry[] = [];
  #chars = 0;
  #scheduled = false;

  constructor(
    private readonly transmit: (entries: PublishEntry[]) => void,
    private readonly later: (run: () => void) => void = (run) => void setImmediate(run),
  ) {}

  add(entry: PublishEntry): void {
    const chars = entryChars(entry);
    if (chars > BATCH_CHARS) {
      this.flush();
      return this.transmit([entry]);
    }
    if (this.#chars + chars > BATCH_CHARS) this.flush();
    this.#entries.push(entry);
    this.#chars += chars;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.later(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Sends what is gathered now: before a send or close, so that they do not overtake a publish. */
  flush(): void {
    if (this.#entries.length === 0) return;
    const entries = this.#entries;
    this.#entries = [];
    this.#chars = 0;
    this.transmit(entries);
  }
}
