import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Agent, request as http1Request, type RequestOptions } from "node:https";
import { type ClientHttp2Session, connect as http2Connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
  dir: string;
  certPath: string;
  keyPath: string;
  /** The certificate itself, trusted as a CA by the test's clients. */
  ca: string;
  remove(): void;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in a temp dir. */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "lsky-tls-"));
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-keyout", keyPath, "-out", certPath, "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ], { stdio: "ignore" });
  return { dir, certPath, keyPath, ca: readFileSync(certPath, "utf8"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SecureResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The protocol ALPN settled on ("h2", "http/1.1"), or false. */
  alpn: string | false;
}

/** An HTTPS/1.1 request that trusts `ca` (and offers only http/1.1 by ALPN). */
export function httpsRequest(url: string, ca: string, headers: Record<string, string> = {}, agent: Agent | false = false): Promise<SecureResponse> {
  return new Promise((resolve, reject) => {
    const options = { ca, headers, agent, ALPNProtocols: ["http/1.1"] } as RequestOptions;
    const req = http1Request(url, options, (res) => {
      let body = "";
      // Read now: a keep-alive agent takes the socket back when the body ends.
      const alpn = (res.socket as unknown as { alpnProtocol?: string | false }).alpnProtocol ?? false;
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, alpn }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.once("error", reject);
    req.end();
  });
}

/** One request over HTTP/2 (ALPN h2 only), trusting `ca`. */
export function http2Request(origin: string, path: string, ca: string, requestHeaders: Record<string, string | string[]> = {}): Promise<SecureResponse> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(origin, { ca });
    session.once("error", reject);
    const stream = session.request({ ...requestHeaders, ":path": path });
    let body = "";
    let headers: Record<string, string | string[] | undefined> = {};
    stream.setEncoding("utf8");
    stream.on("response", (h) => (headers = h as typeof headers));
    stream.on("data", (c: string) => (body += c));
    stream.once("error", reject);
    stream.on("end", () => {
      const alpn = session.alpnProtocol ?? false;
      session.close();
      resolve({ status: Number(headers[":status"]), headers, body, alpn });
    });
    stream.end();
  });
}

/**
 * An HTTP/2 client that keeps one session open and opens a new one once the
 * server has closed it (after GOAWAY), as browsers do. A stream the server
 * refused (REFUSED_STREAM: it was never processed, RFC 9113 section 8.7) is
 * retried once on a fresh session, as browsers do too.
 */
export function persistentHttp2(origin: string, ca: string): { get(path: string): Promise<SecureResponse>; close(): void } {
  let session: ClientHttp2Session | undefined;
  const current = () => {
    if (!session || session.closed || session.destroyed) {
      session = http2Connect(origin, { ca });
      session.on("error", () => {});
    }
    return session;
  };
  const once = (path: string) => new Promise<SecureResponse>((resolve, reject) => {
    const active = current();
    const stream = active.request({ ":path": path });
    let body = "";
    let headers: Record<string, string | string[] | undefined> = {};
    stream.setEncoding("utf8");
    stream.on("response", (h) => (headers = h as typeof headers));
    stream.on("data", (c: string) => (body += c));
    stream.once("error", reject);
    stream.on("end", () => resolve({ status: Number(headers[":status"]), headers, body, alpn: active.alpnProtocol ?? false }));
    stream.end();
  });
  return {
    get: (path) => once(path).catch((error: { code?: string; message?: string }) => {
      if (!/REFUSED_STREAM/.test(String(error.message))) throw error;
      return once(path);
    }),
    close: () => session?.close(),
  };
}
