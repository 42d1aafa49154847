import { setImmediate } from "node:timers";

/** What the watch needs of a connection. */
export interface WatchedSocket {
  readonly engine: { bufferedAmount(): number };
}

/**
 * Tells which subscribers an engine's own fan-out (Bun's server.publish)
 * dropped for a full send buffer. Bun closes such a subscriber itself,
 * later and with 1006, the same code as a client that vanished; nothing in
 * the close says why. So after a loop turn that published enough bytes to
 * matter, the subscribers of the topics published are looked at once, and
 * those with more than `threshold` bytes unsent are remembered: a 1006 for
 * one of them is counted as an overflow. No JavaScript runs per delivery,
 * only per subscriber once per `threshold / 2` bytes published.
 */
export class LagWatch<S extends WatchedSocket> {
  readonly #lagging = new Set<S>();
  readonly #topics = new Set<string>();
  #bytes = 0;
  #scheduled = false;

  constructor(
    private readonly threshold: number,
    private readonly subscribersOf: (topic: string) => Iterable<S> | undefined,
    private readonly later: (run: () => void) => void = (run) => void setImmediate(run),
  ) {}

  /** A publish of `bytes` to `topic` went to the engine. */
  published(topic: string, bytes: number): void {
    this.#topics.add(topic);
    this.#bytes += bytes;
    // A subscriber's backlog grows by at most what was published: looking
    // once per half threshold keeps one from passing unseen.
    if (this.#scheduled || this.#bytes < this.threshold / 2) return;
    this.#scheduled = true;
    this.later(() => this.#sample());
  }

  /** The socket closed: true when it had fallen behind (a 1006 then is the engine dropping it). */
  closed(socket: S): boolean {
    return this.#lagging.delete(socket);
  }

  #sample(): void {
    this.#scheduled = false;
    this.#bytes = 0;
    for (const topic of this.#topics) {
      for (const socket of this.subscribersOf(topic) ?? []) {
        if (socket.engine.bufferedAmount() > this.threshold) this.#lagging.add(socket);
        else this.#lagging.delete(socket);
      }
    }
    this.#topics.clear();
  }
}
