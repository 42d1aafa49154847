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
  const write = (text: string, message?: Out): boolean => {
    if (socket.destroyed) return false;
    // Control messages (drain, stats) are small and rare: only bus traffic is bounded.
    const limit = message !== undefined && bound?.droppable(message) ? bound.limit : undefined;
    if (!limit) return (socket.write(text), true);
    if (!limit.admit(text.length)) return false;
    socket.write(text, () => limit.written(text.length));
    return true;
  };
  return {
    socket,
    send: (message) => write(`${JSON.stringify(message)}\n`, message),
    sendLine: (line) => write(`${line}\n`),
    close: () => socket.end(),
  };
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
