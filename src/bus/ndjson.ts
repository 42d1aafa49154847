import type { OutgoingLimit } from "./outgoing-limit.ts";

/**
 * The part of a stream socket a channel uses. A `node:net` Socket is one
 * (Bun, Deno and Node all ship it); a worker on Bun connects through Bun's own
 * sockets instead (runtime/unix-connect.ts).
 */
export interface LineSocket {
  readonly destroyed: boolean;
  setEncoding(encoding: "utf8"): unknown;
  on(event: "data", listener: (chunk: string) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  /** `done` runs once the kernel has the text. */
  write(text: string, done?: () => void): unknown;
  /** Closes this side once what was written is out. */
  end(): unknown;
  /** Writes `text`, then closes this side; `done` runs once the kernel has it. */
  end(text: string, done?: () => void): unknown;
}

/**
 * Newline-delimited JSON over a stream socket: the framing of every message
 * between lsky processes (worker <-> supervisor, CLI <-> control socket).
 */
export interface MessageChannel<T> {
  /** False when the message was not queued: the connection is closed, or the limit dropped it. */
  send(message: T): boolean;
  /**
   * Sends a message already encoded with JSON.stringify (no newline), so a
   * caller that measured it need not encode twice. False only when the
   * connection is closed; a full kernel buffer just queues the line.
   */
  sendLine(line: string): boolean;
  /** Writes what waits for the end of this run of JavaScript now (before writing to `socket` directly). */
  flush(): void;
  /** Writes what waits, then closes this side. */
  close(): void;
  readonly socket: LineSocket;
}

/** Bounds what is queued for the peer; only messages `droppable` says yes to are ever dropped. */
export interface ChannelLimit<Out> {
  limit: OutgoingLimit;
  droppable(message: Out): boolean;
}

export function openChannel<In, Out>(
  socket: LineSocket,
  onMessage: (message: In) => void,
  onClose?: () => void,
  bound?: ChannelLimit<Out>,
  later: (run: () => void) => void = queueMicrotask,
): MessageChannel<Out> {
  const decode = createLineDecoder((line) => {
    let message: In;
    try {
      message = JSON.parse(line) as In;
    } catch {
      return; // A peer that sends garbage is ignored rather than trusted.
    }
    onMessage(message);
  });
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => decode(chunk));
  socket.on("error", () => {});
  socket.on("close", () => onClose?.());
  const batch = new WriteBatch(socket, later, bound?.limit);
  const write = (text: string, message?: Out): boolean => {
    if (socket.destroyed) return false;
    // Control messages (drain, stats) are small and rare: only bus traffic is bounded.
    const limited = message !== undefined && bound !== undefined && bound.droppable(message);
    if (limited && !bound.limit.admit(text.length)) return false;
    batch.add(text, limited);
    return true;
  };
  return {
    socket,
    send: (message) => write(`${JSON.stringify(message)}\n`, message),
    sendLine: (line) => write(`${line}\n`),
    flush: () => batch.flush(),
    close: () => {
      batch.flush();
      socket.end();
    },
  };
}

/**
 * The lines a channel sends in one run of JavaScript (an event's callback
 * and the promise jobs it queued), written to the socket together when that
 * run ends: one system call for a burst instead of one a message, and no
 * later than before for a lone message. Measured (2026-12-05, `--only bus`):
 * `bus.send` in a loop went from about 190,000 to 300,000-590,000 messages a
 * second; deferring to the next turn of the event loop instead (setImmediate)
 * added 50 to 100 µs to a task's round trip on Node and Deno.
 */
class WriteBatch {
  #text = "";
  /** The part of #text the outgoing limit counted, released once the kernel has it. */
  #counted = 0;
  #scheduled = false;
  readonly #socket: LineSocket;
  readonly #later: (run: () => void) => void;
  readonly #limit: OutgoingLimit | undefined;

  constructor(socket: LineSocket, later: (run: () => void) => void, limit: OutgoingLimit | undefined) {
    this.#socket = socket;
    this.#later = later;
    this.#limit = limit;
  }

  add(text: string, counted: boolean): void {
    this.#text += text;
    if (counted) this.#counted += text.length;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#later(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#text === "") return;
    const [text, counted, limit] = [this.#text, this.#counted, this.#limit];
    this.#text = "";
    this.#counted = 0;
    // Gone meanwhile: nothing will take these bytes, so the limit lets them go.
    if (this.#socket.destroyed) return void (counted > 0 && limit?.written(counted));
    if (counted > 0 && limit) this.#socket.write(text, () => limit.written(counted));
    else this.#socket.write(text);
  }
}

/** Splits a stream of text into lines; a partial line waits for its end. */
export function createLineDecoder(onLine: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.length > 0) onLine(line);
      newline = pending.indexOf("\n");
    }
  };
}
