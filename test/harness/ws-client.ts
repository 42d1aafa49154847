import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/**
 * A WebSocket client of the tests' own, on a raw TCP socket, with frames
 * built by hand: so a test can send what a well-behaved library never would
 * (an unmasked frame, invalid UTF-8) and see the exact close code.
 */
export interface WsMessage {
  text?: string;
  binary?: Uint8Array;
}

export interface WsClose {
  code: number;
  reason: string;
}

export interface RawWebSocket {
  /** The handshake's status line and headers. */
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The body, when the server did not upgrade. */
  readonly body: string;
  sendText(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  /** Any frame: opcode, payload, fin, masked. */
  sendFrame(opcode: number, payload: Uint8Array, options?: { fin?: boolean; masked?: boolean }): void;
  close(code?: number, reason?: string): void;
  /** The next data message; rejects when the connection closes first. */
  next(): Promise<WsMessage>;
  /** Waits for the next text message that matches. */
  nextText(match?: RegExp): Promise<string>;
  /** The payload of the next pong the server sends (the client answers pings itself). */
  nextPong(): Promise<Buffer>;
  /** Resolves with the server's close frame (code 1006 when the TCP connection ended without one). */
  readonly closed: Promise<WsClose>;
  destroy(): void;
  /** Stops reading: the server's frames back up in the kernel, then in the server (a client that fell behind). */
  stopReading(): void;
}

export async function openWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<RawWebSocket> {
  const socket = connect({ port, host: "127.0.0.1" });
  socket.setNoDelay(true);
  const key = randomBytes(16).toString("base64");
  const head = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Upgrade: websocket", "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`, "Sec-WebSocket-Version: 13", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""];
  socket.write(head.join("\r\n"));
  const { status, headers: answer, rest, body } = await readHandshake(socket);
  return makeClient(socket, status, answer, rest, body);
}

function readHandshake(socket: Socket): Promise<{ status: number; headers: Record<string, string>; rest: Buffer; body: string }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(lines[0]!.split(" ")[1]);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = buffer.subarray(end + 4);
      if (status === 101) {
        socket.off("data", onData);
        return resolve({ status, headers, rest, body: "" });
      }
      // Not upgraded: read the body to its end (the server closes or sends a length).
      const length = Number(headers["content-length"] ?? -1);
      if (length >= 0 && rest.length >= length) {
        socket.off("data", onData);
        socket.destroy();
        resolve({ status, headers, rest: Buffer.alloc(0), body: rest.subarray(0, length).toString("utf8") });
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`connection closed during the handshake: ${buffer.toString("latin1")}`)));
  });
}

function makeClient(socket: Socket, status: number, headers: Record<string, string>, rest: Buffer, body: string): RawWebSocket {
  const queue: WsMessage[] = [];
  const pongs: Buffer[] = [];
  const pongWaiters: ((payload: Buffer) => void)[] = [];
  const waiters: { resolve(m: WsMessage): void; reject(e: Error): void }[] = [];
  let buffer = rest;
  let fragments: Buffer[] = [];
  let fragmentOpcode = 0;
  let closeSent = false;
  let resolveClosed!: (close: WsClose) => void;
  let closeFrame: WsClose | undefined;
  const closed = new Promise<WsClose>((resolve) => (resolveClosed = resolve));

  const sendFrame = (opcode: number, payload: Uint8Array, options: { fin?: boolean; masked?: boolean } = {}) => {
    if (socket.destroyed) return;
    const masked = options.masked ?? true;
    const length = payload.length;
    const header: number[] = [((options.fin ?? true) ? 0x80 : 0) | opcode];
    const maskBit = masked ? 0x80 : 0;
    if (length < 126) header.push(maskBit | length);
    else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 255);
    else header.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 255, (length >> 16) & 255, (length >> 8) & 255, length & 255);
    const mask = masked ? randomBytes(4) : Buffer.alloc(0);
    const data = Buffer.from(payload);
    if (masked) for (let i = 0; i < data.length; i++) data[i]! ^= mask[i % 4]!;
    socket.write(Buffer.concat([Buffer.from(header), mask, data]));
  };
  const deliver = (message: WsMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  };
  const onFrame = (fin: boolean, opcode: number, payload: Buffer) => {
    if (opcode === 0x8) {
      closeFrame = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString("utf8") };
      if (!closeSent) sendFrame(0x8, payload.subarray(0, 2));
      closeSent = true;
      socket.end();
      return;
    }
    if (opcode === 0x9) return sendFrame(0xa, payload);
    if (opcode === 0xa) {
      const waiter = pongWaiters.shift();
      return waiter ? waiter(Buffer.from(payload)) : void pongs.push(Buffer.from(payload));
    }
    if (opcode !== 0) fragmentOpcode = opcode;
    fragments.push(payload);
    if (!fin) return;
    const whole = Buffer.concat(fragments);
    fragments = [];
    deliver(fragmentOpcode === 1 ? { text: whole.toString("utf8") } : { binary: new Uint8Array(whole) });
  };
  const parse = () => {
    for (;;) {
      if (buffer.length < 2) return;
      const fin = (buffer[0]! & 0x80) !== 0;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      onFrame(fin, opcode, payload);
    }
  };
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    parse();
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    resolveClosed(closeFrame ?? { code: 1006, reason: "" });
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`connection closed (${closeFrame?.code ?? 1006})`));
  });
  if (status === 101 && rest.length > 0) queueMicrotask(parse);

  const next = (): Promise<WsMessage> => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    if (socket.destroyed) return Promise.reject(new Error(`connection closed (${closeFrame?.code ?? 1006})`));
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
  return {
    status, headers, body, closed, sendFrame, next,
    sendText: (text) => sendFrame(0x1, Buffer.from(text)),
    sendBinary: (bytes) => sendFrame(0x2, bytes),
    close(code = 1000, reason = "") {
      if (closeSent) return;
      closeSent = true;
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      sendFrame(0x8, payload);
    },
    nextPong: () => {
      const queued = pongs.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => pongWaiters.push(resolve));
    },
    async nextText(match) {
      for (;;) {
        const message = await next();
        if (message.text !== undefined && (!match || match.test(message.text))) return message.text;
      }
    },
    destroy: () => void socket.destroy(),
    stopReading: () => void socket.pause(),
  };
}
