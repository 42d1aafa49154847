/// <reference types="bun-types" />
import type { LineSocket } from "../bus/ndjson.ts";
import { WriteQueue } from "./write-queue.ts";

type BunSocket = import("bun").Socket<undefined>;

/**
 * A Unix socket connection through Bun.connect, with the part of node:net's
 * Socket the bus uses (LineSocket). A worker on Bun connects to the
 * supervisor this way because node:net would build Node's stream layer first:
 * milliseconds of every worker's start before its first response
 * (docs/BENCHMARKS.md, "Start to first response").
 */
export async function connectBunUnix(path: string): Promise<LineSocket> {
  const line = new BunLineSocket();
  line.attach(await Bun.connect({ unix: path, socket: line.handlers() }));
  return line;
}

class BunLineSocket implements LineSocket {
  readonly #onData: ((chunk: string) => void)[] = [];
  readonly #onError: ((error: Error) => void)[] = [];
  readonly #onClose: (() => void)[] = [];
  readonly #decoder = new TextDecoder();
  readonly #queue = new WriteQueue((data) => (this.#socket && !this.#closed ? this.#socket.write(data) : -1));
  #socket: BunSocket | undefined;
  #closed = false;
  #ending = false;
  /** Text that came before anyone listened (node:net holds it the same way). */
  #early = "";

  get destroyed(): boolean {
    return this.#closed;
  }

  attach(socket: BunSocket): void {
    this.#socket = socket;
  }

  setEncoding(): this {
    return this; // Always UTF-8 text, as the bus reads it.
  }

  on(event: "data" | "error" | "close", listener: never): this {
    if (event === "data") {
      this.#onData.push(listener);
      if (this.#early) queueMicrotask(() => this.#deliver(this.#takeEarly()));
    } else if (event === "error") this.#onError.push(listener);
    else this.#onClose.push(listener);
    return this;
  }

  write(text: string, done?: () => void): boolean {
    if (this.#closed || this.#ending) return false;
    this.#queue.write(text, done);
    return this.#queue.empty;
  }

  end(text?: string, done?: () => void): this {
    if (this.#closed || this.#ending) return this;
    this.#ending = true;
    if (text) this.#queue.write(text, done);
    else done?.();
    if (this.#queue.empty) this.#socket?.end();
    return this;
  }

  /** What Bun calls on this connection's events. */
  handlers(): import("bun").SocketHandler<undefined> {
    return {
      data: (_socket, bytes) => {
        const text = this.#decoder.decode(bytes, { stream: true });
        if (this.#onData.length === 0) this.#early += text;
        else this.#deliver(text);
      },
      drain: () => {
        if (this.#queue.flush() && this.#ending) this.#socket?.end();
      },
      // The peer closed its side: so does this one (node:net without allowHalfOpen).
      end: (socket) => void socket.end(),
      error: (_socket, error) => this.#onError.forEach((listener) => listener(error)),
      // Bun may call this from inside end(); node:net says 'close' on a later
      // turn, after what the caller does next (a worker's exit once its last
      // message is out), so the bus never takes its own end for a lost peer.
      close: () => void setImmediate(() => this.#close()),
    };
  }

  #deliver(text: string): void {
    for (const listener of this.#onData) listener(text);
  }

  #takeEarly(): string {
    const text = this.#early;
    this.#early = "";
    return text;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.clear();
    for (const listener of this.#onClose) listener();
  }
}
