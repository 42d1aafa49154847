import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as http1Request } from "node:https";
import { connect as http2Connect } from "node:http2";
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
export function httpsRequest(url: string, ca: string, headers: Record<string, string> = {}): Promise<SecureResponse> {
  return new Promise((resolve, reject) => {
    const req = http1Request(url, { ca, headers, agent: false, ALPNProtocols: ["http/1.1"] }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => {
        const socket = res.socket as unknown as { alpnProtocol?: string | false };
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, alpn: socket.alpnProtocol ?? false });
      });
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.once("error", reject);
    req.end();
  });
}

/** One request over HTTP/2 (ALPN h2 only), trusting `ca`. */
export function http2Request(origin: string, path: string, ca: string): Promise<SecureResponse> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(origin, { ca });
    session.once("error", reject);
    const stream = session.request({ ":path": path });
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
