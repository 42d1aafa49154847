import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "../harness/lsky.ts";
import { fixture, selectedTargets } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { open } from "./_raw-client.ts";
import { report } from "./_report.ts";

after(killAll);

const H = "Host: localhost\r\n";

for (const target of selectedTargets()) {
  describe(`client disconnects on ${target.name}`, () => {
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

    test("mid-request: the app's signal aborts and the worker serves the next request", async () => {
      const socket = await open(server.port);
      socket.on("error", () => {});
      socket.write(`POST /upload HTTP/1.1\r\n${H}Content-Length: 1000000\r\n\r\n${"x".repeat(4096)}`);
      await waitFor("the app to start reading the upload", async () => (await poll(), seen.includes("/upload")));
      socket.destroy();
      await waitFor("the upload's request.signal to abort", async () => (await poll(), aborted.includes("/upload")), 5000);
      const response = await fetch(`${server.url}/after`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "hit /after 0");
      report({ suite: "disconnect", target: target.name, name: "client gone mid-request body", expected: "signal aborts, next served", got: "signal aborts, next served", verdict: "ok" });
    });

    test("mid-response: a streaming response is abandoned and the worker serves the next request", async () => {
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
      await waitFor("the stream's request.signal to abort", async () => (await poll(), aborted.includes("/stream")), 5000)
        .catch(() => undefined);
      const signalled = aborted.includes("/stream");
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${server.url}/after-${i}`);
        assert.equal(await response.text(), `hit /after-${i} 0`);
      }
      report({ suite: "disconnect", target: target.name, name: "client gone mid-response stream", expected: "next served", got: `next served; signal ${signalled ? "aborted" : "not aborted"}`, verdict: "ok" });
    });

    test("no worker died or restarted", () => {
      assert.doesNotMatch(server.output(), /restarting|exited|crash|uncaught/i);
    });
  });
}
