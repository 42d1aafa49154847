import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { open } from "./_raw-client.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

const H = "Host: localhost\r\n";

describeTargets("client disconnects", (target) => {
  let server: LskyProcess;
  const seen: string[] = [];
  const aborted: string[] = [];
  const poll = async () => {
    const state = await (await fetch(`${server.url}/__seen`)).json() as { seen: string[]; aborted: string[] };
    seen.push(...state.seen);
    aborted.push(...state.aborted);
  };
  before(async () => {
    server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(() => server?.stop());

  // What docs/RELIABILITY.md promises for a client that vanishes: the app's
  // request.signal aborts and the worker serves the next request.
  const PROMISE = "signal aborts, next served";
  const outcome = async (path: string, nextPaths: string[]): Promise<string> => {
    const signalled = await waitFor(`the ${path} request.signal to abort`, async () => (await poll(), aborted.includes(path)), 5000)
      .catch(() => false);
    let served = true;
    for (const next of nextPaths) {
      const response = await fetch(`${server.url}${next}`);
      served &&= response.status === 200 && (await response.text()) === `hit ${next} 0`;
    }
    return `${signalled ? "signal aborts" : "signal not aborted"}, ${served ? "next served" : "next not served"}`;
  };

  test("mid-request: the app's signal aborts and the worker serves the next request", async () => {
    const socket = await open(server.port);
    socket.on("error", () => {});
    socket.write(`POST /upload HTTP/1.1\r\n${H}Content-Length: 1000000\r\n\r\n${"x".repeat(4096)}`);
    await waitFor("the app to start reading the upload", async () => (await poll(), seen.includes("/upload")));
    socket.destroy();
    const got = await outcome("/upload", ["/after"]);
    report({ suite: "disconnect", target: target.name, name: "client gone mid-request body", expected: PROMISE, got, verdict: got === PROMISE ? "ok" : "gap" });
    assert.equal(got, PROMISE);
  });

  test("mid-response: a streaming response is abandoned, its signal aborts, and the worker serves the next request", async () => {
    const socket = await open(server.port);
    socket.on("error", () => {});
    let received = 0;
    const gotSome = new Promise<void>((resolve) => socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > 200) resolve();
    }));
    socket.write(`GET /stream HTTP/1.1\r\n${H}\r\n`);
    await gotSome;
    socket.destroy();
    const got = await outcome("/stream", [0, 1, 2, 3, 4].map((i) => `/after-${i}`));
    report({ suite: "disconnect", target: target.name, name: "client gone mid-response stream", expected: PROMISE, got, verdict: got === PROMISE ? "ok" : "gap" });
    assert.equal(got, PROMISE);
  });

  test("no worker died or restarted", () => {
    assert.doesNotMatch(server.output(), /restarting|exited|crash|uncaught/i);
  });
});
