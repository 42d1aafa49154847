import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "../harness/lsky.ts";
import { fixture, type Target } from "../harness/targets.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";
import { serverVariants, type ServerVariant } from "./_server-variants.ts";

// Deno.serve (Deno's default server) answers the refusal but cannot close the
// connection (docs/RELIABILITY.md): lsky refuses whatever else arrives on it.
const REFUSAL_LEFT_OPEN = new Set(["deno"]);

after(killAll);

const BODY_BYTES = 8 * 1024 * 1024;
// The reader takes 64 KiB every 100 ms: an 8 MiB body takes about 13 s, far
// longer than the 1 s keep-alive timeout the server runs with.
const READ_BYTES = 64 * 1024;
const READ_EVERY_MS = 100;

interface SlowRead {
  status: number;
  bodyBytes: number;
  /** A chunked body ended with its last (zero) chunk; a fixed one had all its bytes. */
  complete: boolean;
  closedEarly: boolean;
}

/** GETs `path` on a raw socket and reads the response slowly, up to its end (bounded). */
function readSlowly(port: number, path: string, boundMs = 60_000): Promise<SlowRead> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.pause();
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (closedEarly: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(reader);
      clearTimeout(guard);
      socket.destroy();
      resolve({ ...decode(data), closedEarly });
    };
    const reader = setInterval(() => {
      let taken = 0;
      let chunk: Buffer | null;
      while (taken < READ_BYTES && (chunk = socket.read() as Buffer | null) !== null) {
        taken += chunk.byteLength;
        data = Buffer.concat([data, chunk]);
      }
      if (decode(data).complete) finish(false);
    }, READ_EVERY_MS);
    const guard = setTimeout(() => finish(false), boundMs);
    socket.on("error", () => {});
    socket.on("close", () => {
      // Take what is left in the stream's buffer before judging.
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) data = Buffer.concat([data, chunk]);
      finish(!decode(data).complete);
    });
    socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
  });
}

function decode(data: Buffer): Omit<SlowRead, "closedEarly"> {
  const headEnd = data.indexOf("\r\n\r\n");
  if (headEnd < 0) return { status: 0, bodyBytes: 0, complete: false };
  const head = data.subarray(0, headEnd).toString("latin1");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const body = data.subarray(headEnd + 4);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length) return { status, bodyBytes: body.byteLength, complete: body.byteLength >= Number(length[1]) };
  let at = 0;
  let bytes = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", at);
    if (lineEnd < 0) return { status, bodyBytes: bytes, complete: false };
    const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
    if (size === 0) return { status, bodyBytes: bytes, complete: body.length >= lineEnd + 4 };
    const available = Math.min(size, body.length - lineEnd - 2);
    bytes += Math.max(0, available);
    if (available < size) return { status, bodyBytes: bytes, complete: false };
    at = lineEnd + 2 + size + 2;
  }
}

/** Sends a POST whose body trickles one byte every `everyMs`; resolves with the status and whether the server closed. */
function trickleBody(port: number, everyMs: number, boundMs: number): Promise<{ status: number; closed: boolean; sentBytes: number; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let data = "";
    let sent = 0;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(trickle);
      clearTimeout(guard);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), closed, sentBytes: sent, ms: Date.now() - started });
    };
    const trickle = setInterval(() => {
      if (socket.writable) socket.write("a", () => sent++);
    }, everyMs);
    const guard = setTimeout(() => finish(false), boundMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (data += chunk));
    socket.on("error", () => {});
    socket.on("close", () => finish(true));
    socket.on("connect", () => socket.write(`POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n`));
  });
}

describeTargets("slow readers", { binaryStandsForBun: true }, (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("large-body.ts"), "--workers", "1", "--host", "127.0.0.1", "--keep-alive-timeout", "1s"]);
  });
  after(() => server?.stop());

  test("a large response read slowly for longer than the keep-alive timeout arrives whole", async () => {
    // Both shapes at once: a buffer with its length, and a chunked stream.
    const [fixed, streamed] = await Promise.all([readSlowly(server.port, "/bytes"), readSlowly(server.port, "/stream")]);
    for (const [name, got] of [["buffer", fixed], ["stream", streamed]] as const) {
      const verdict = got.complete ? "ok" : "gap";
      report({ suite: "slow-peers", target: target.name, name: `8 MiB ${name} read at 640 KB/s (1 s keep-alive timeout)`, expected: "whole body", got: got.complete ? "whole body" : `cut after ${got.bodyBytes} bytes`, verdict });
      assert.deepEqual({ status: got.status, complete: got.complete, closedEarly: got.closedEarly, bodyBytes: got.bodyBytes },
        { status: 200, complete: true, closedEarly: false, bodyBytes: BODY_BYTES }, name);
    }
  });
});

describeTargets("slow bodies", { binaryStandsForBun: true }, (target) => {
  for (const variant of serverVariants(target)) describe(`server${variant.title || " by default"}`, () => slowBodyCases(target, variant));
});

function slowBodyCases(target: Target, variant: ServerVariant): void {
  let server: LskyProcess;
  before(async () => {
    // The body timeout stays long: only the minimum rate can end this upload.
    server = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1",
      "--body-timeout", "30s", "--min-body-rate", "100", "--body-rate-grace", "1s", ...variant.args]);
  });
  after(() => server?.stop());

  test("a body trickling below the minimum rate gets 408 and the connection closes", async () => {
    // One byte every 200 ms: 5 bytes a second, each pause far inside the body timeout.
    const got = await trickleBody(server.port, 200, 15_000);
    const closes = !REFUSAL_LEFT_OPEN.has(variant.key);
    report({ suite: "slow-peers", target: `${target.name}${variant.title}`, name: "body at 5 B/s (min rate 100 B/s after 1 s)", expected: "408 closed", got: `${got.status || "no response"} ${got.closed ? `closed after ${got.ms} ms` : "left open"}`, verdict: got.status === 408 && got.closed ? "ok" : "gap" });
    assert.deepEqual({ status: got.status, closed: got.closed }, { status: 408, closed: closes }, `sent ${got.sentBytes} bytes`);
  });

  test("a body above the minimum rate is read whole", async () => {
    const body = "b".repeat(4000);
    const response = await fetch(`${server.url}/upload`, { method: "POST", body });
    assert.equal(response.status, 200);
    assert.equal((await response.json() as { body: string }).body, body);
  });
}
