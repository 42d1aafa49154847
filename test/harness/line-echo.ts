import { createSocket } from "node:dgram";
import { connect } from "node:net";

/** How one TCP echo round ended: all lines echoed, or the error code (ECONNREFUSED, ECONNRESET, ...). */
export type RoundResult = { ok: true } | { ok: false; error: string };

/**
 * Opens a connection to examples/listeners/echo-tcp.ts, sends `lines` (the
 * last one split across two writes), checks every echo, sends "quit" and
 * waits for the server to close.
 */
export function tcpEchoRound(port: number, lines: string[], host = "127.0.0.1"): Promise<RoundResult> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let received = "";
    let failed: string | undefined;
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      const text = lines.map((line) => `${line}\n`).join("");
      const cut = Math.max(1, text.length - 2);
      socket.write(text.slice(0, cut));
      setImmediate(() => socket.write(`${text.slice(cut)}quit\n`));
    });
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => (failed ??= error.code ?? error.message));
    socket.on("close", () => {
      const expected = lines.map((line) => `echo: ${line}\n`).join("");
      if (failed) resolve({ ok: false, error: failed });
      else if (received !== expected) resolve({ ok: false, error: `wrong echo ${JSON.stringify(received)}` });
      else resolve({ ok: true });
    });
  });
}

/** Sends one datagram and resolves with the first reply, or undefined after `timeoutMs` (UDP may drop). */
export function udpRequest(port: number, text: string, timeoutMs = 2000, host = "127.0.0.1"): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const timer = setTimeout(() => (socket.close(), resolve(undefined)), timeoutMs);
    socket.on("message", (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message.toString("utf8"));
    });
    socket.send(text, port, host);
  });
}

/** Waits for the server to close a connection we keep silent; resolves with the ms it took and what we got. */
export function silentConnection(port: number, host = "127.0.0.1"): Promise<{ received: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let received = "";
    let error: string | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", (e: NodeJS.ErrnoException) => (error ??= e.code));
    socket.on("close", () => resolve({ received, ...(error ? { error } : {}) }));
  });
}
