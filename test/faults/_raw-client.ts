import { connect, type Socket } from "node:net";

/** What a raw exchange produced. */
export interface RawResult {
  /** Status of each complete response, in order (empty: none). */
  statuses: number[];
  /** Bodies of the complete responses. */
  bodies: string[];
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Nothing happened within the bound: no close, no (further) response. */
  timedOut: boolean;
  /** ms from connect to close (when closed). */
  closedAfterMs?: number;
  raw: string;
}

export interface RawOptions {
  /** Sent after the first complete response, to tell "kept open" from "closed". */
  probe?: string;
  /** Responses the payload itself should get before the probe is sent (default 1). */
  responses?: number;
  /** The payload is a HEAD request: its response has no body. */
  head?: boolean;
  /** Upper bound on the whole exchange (a hang guard, not an expectation). */
  boundMs?: number;
}

export const PROBE = "GET /probe HTTP/1.1\r\nHost: localhost\r\n\r\n";

/**
 * Sends `payload` on a fresh connection and reads until the outcome is known:
 * the connection closes, or the probe request sent after the first response is
 * answered (the connection was kept). Never waits for a guessed time: only the
 * hang guard ends an exchange without an event.
 */
export function exchange(port: number, payload: string | Buffer, options: RawOptions = {}): Promise<RawResult> {
  const bound = options.boundMs ?? 5000;
  const expected = options.responses ?? 1;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let probed = false;
    let settled = false;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      socket.destroy();
      const { statuses, bodies } = parseResponses(data, options.head);
      resolve({ statuses, bodies, closed, timedOut, closedAfterMs: closed ? Date.now() - started : undefined, raw: data.toString("latin1") });
    };
    const guard = setTimeout(() => finish(false, true), bound);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const complete = parseResponses(data, options.head).statuses.length;
      if (complete >= expected && !probed && options.probe !== undefined) {
        probed = true;
        // The connection may already be half closed by the server; a write
        // error then only confirms it.
        socket.write(options.probe);
      }
      if (probed && complete >= expected + 1) finish(false, false);
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(true, false));
    socket.on("connect", () => socket.write(payload));
  });
}

/** Parses complete HTTP/1.1 responses (Content-Length, chunked, or none). */
export function parseResponses(data: Buffer, firstIsHead = false): { statuses: number[]; bodies: string[] } {
  const statuses: number[] = [];
  const bodies: string[] = [];
  let at = 0;
  for (let i = 0; i < 100; i++) {
    const headEnd = data.indexOf("\r\n\r\n", at);
    if (headEnd === -1) break;
    const head = data.subarray(at, headEnd).toString("latin1");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status) break;
    const bodyStart = headEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let bodyEnd: number;
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const end = data.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
      if (end === -1) break;
      bodyEnd = end + 7;
    } else if (length && !(firstIsHead && statuses.length === 0)) {
      bodyEnd = bodyStart + Number(length[1]);
      if (data.length < bodyEnd) break;
    } else {
      // No length: 1xx/204/304, or a body ended by close (error replies).
      bodyEnd = bodyStart;
    }
    if (status[1]!.startsWith("1")) {
      at = bodyStart;
      continue;
    }
    statuses.push(Number(status[1]));
    bodies.push(data.subarray(bodyStart, bodyEnd).toString("latin1"));
    at = bodyEnd;
  }
  return { statuses, bodies };
}

/** Opens a connection and resolves once it is connected. */
export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}
