import { connect, type Socket } from "node:net";

/**
 * Raw HTTP/1.1 over a socket, for what fetch hides: whether body bytes follow
 * a HEAD/204/304 response, or what happens when the client vanishes.
 */

/** Opens a connection to 127.0.0.1:port. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });
}

/** Sends one request (with Connection: close) and returns every byte until the server closes. */
export async function exchange(port: number, head: string, timeoutMs = 20_000): Promise<Buffer> {
  const socket = await openSocket(port);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got:\n${Buffer.concat(chunks).toString("latin1")}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("error", (error) => (clearTimeout(timer), reject(error)));
    socket.once("close", () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    socket.write(head);
  });
}

export interface RawResponse {
  status: number;
  headers: Map<string, string[]>;
  /** Bytes after the header block, exactly as sent (chunk framing included). */
  rest: Buffer;
}

/** Splits a raw response into its status line, headers and whatever followed them. */
export function parseRawResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf("\r\n\r\n");
  if (end === -1) throw new Error(`no complete header block in:\n${bytes.toString("latin1")}`);
  const [statusLine, ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1]);
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { status, headers, rest: bytes.subarray(end + 4) };
}

/** Sends one request and resolves with the response's status and headers as soon as they arrived (the socket is then dropped). */
export async function responseHead(port: number, head: string, timeoutMs = 20_000): Promise<RawResponse> {
  const socket = await openSocket(port);
  return new Promise((resolve, reject) => {
    let bytes = Buffer.alloc(0);
    const timer = setTimeout(() => (socket.destroy(), reject(new Error("no response head in time"))), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (bytes.indexOf("\r\n\r\n") === -1) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRawResponse(bytes));
    });
    socket.once("error", (error) => (clearTimeout(timer), reject(error)));
    socket.once("close", () => (clearTimeout(timer), reject(new Error("closed before a response head"))));
    socket.write(head);
  });
}
