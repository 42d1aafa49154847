import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body bytes exactly as sent (never decompressed, unlike fetch). */
  body: Buffer;
}

/**
 * One request through node:http, which (unlike fetch) leaves Content-Encoding
 * alone, so tests see the bytes lsky sent. A new connection each time.
 */
export function send(url: string, options: { method?: string; headers?: Record<string, string> } = {}, timeoutMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${url} in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Sends a request line exactly as given over a raw socket, for paths that an
 * HTTP client would normalise (`/../x`, backslashes). Returns the status and
 * the whole answer as text.
 */
export function sendRawPath(port: number, path: string, timeoutMs = 20_000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer for ${path} in ${timeoutMs} ms`)), timeoutMs);
    socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (error) => (clearTimeout(timer), reject(error)));
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}
