// SIGTERM and SIGINT stop gracefully: a request in flight when the signal
// arrives still gets its answer, then lsky exits 0 and frees the port. A
// second signal forces the exit. The request stays in flight for exactly as
// long as the test withholds the end of its (chunked) upload.
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { portIsFree } from "./harness/ports.ts";
import { openSocket, parseRawResponse, responseHead } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

interface HeldRequest {
  socket: Socket;
  /** Every byte the server sent, once it closed the connection. */
  closed: Promise<Buffer>;
  /** Sends the last chunk, letting the app answer. */
  finish(): void;
}

/** Starts POST /hold with a chunked body and waits until the app has it. */
async function holdRequest(server: LskyProcess, id: string): Promise<HeldRequest> {
  const socket = await openSocket(server.port);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<Buffer>((resolve) => socket.once("close", () => resolve(Buffer.concat(chunks))));
  socket.write(`POST /hold?id=${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nfirst\r\n`);
  await server.waitForOutput(new RegExp(`hold started ${id}`));
  return { socket, closed, finish: () => void socket.write("4\r\nlast\r\n0\r\n\r\n") };
}

/**
 * True once the worker drains: a new keep-alive request is answered with
 * Connection: close, or no longer accepted at all.
 */
async function isDraining(server: LskyProcess): Promise<boolean> {
  try {
    const head = await responseHead(server.port, "GET /pid HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return head.headers.get("connection")?.[0]?.toLowerCase() === "close";
  } catch {
    return true;
  }
}

async function start(target: Parameters<typeof startLsky>[0], extra: string[] = []): Promise<LskyProcess> {
  return startLsky(target, [fixture("hold.ts"), "--workers", "1", "--host", "127.0.0.1", ...extra]);
}

describeTargets("graceful stop", (target) => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} lets the in-flight request finish, then exits 0`, async () => {
      const server = await start(target);
      const held = await holdRequest(server, `${signal}-${target.name}`);
      server.signal(signal);
      await server.waitForOutput(/stopping: draining workers/);
      await waitFor("the worker to drain", () => isDraining(server));
      held.finish();
      const response = parseRawResponse(await held.closed);
      assert.equal(response.status, 200);
      assert.match(response.rest.toString("latin1"), /held 9 bytes/);
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      assert.ok(await portIsFree(server.port), `port ${server.port} is free again`);
    });
  }

  test("a request still running when the grace period ends is cut off, and lsky exits 0", async () => {
    const server = await start(target, ["--grace-period", "200ms", "--drain-delay", "0"]);
    const held = await holdRequest(server, `grace-${target.name}`);
    server.signal("SIGTERM");
    const unanswered = await held.closed; // never finished: the grace period ends it
    assert.doesNotMatch(unanswered.toString("latin1"), /held \d+ bytes/);
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    assert.ok(await portIsFree(server.port));
  });

  test("a second signal forces the exit while a request is still held", async () => {
    const server = await start(target);
    const workerPid = Number(await (await fetch(`${server.url}/pid`)).text());
    const held = await holdRequest(server, `force-${target.name}`);
    server.signal("SIGTERM");
    await server.waitForOutput(/stopping: draining workers/);
    server.signal("SIGTERM");
    const exit = await server.exited;
    assert.equal(exit.code, 1, `forced exit code; output:\n${server.output()}`);
    assert.match(server.stderr(), /second signal: forcing exit/);
    await held.closed; // the worker is gone, so is its connection
    await waitFor(`worker ${workerPid} to be gone`, () => processGone(workerPid));
  });
});
