// request.signal aborts when the client disconnects mid-request: the app
// records it, and a later request asks the app what it saw.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { openSocket } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("client disconnects", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("abort.ts"), "--workers", "1", "--host", "127.0.0.1", "--max-body-size", "1gb"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  const state = async (id: string) => (await fetch(`${server.url}/state?id=${id}`)).json() as Promise<{ started: boolean; aborted: boolean; cancelled: boolean; readFailed: boolean }>;

  test("aborts request.signal when the client goes away mid-request", async () => {
    const id = `gone-${target.name}`;
    const socket = await openSocket(server.port);
    socket.write(`GET /hang?id=${id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await waitFor("the app to start the request", async () => (await state(id)).started);
    assert.equal((await state(id)).aborted, false, "not aborted while the client is connected");
    socket.destroy();
    await waitFor("the app to see request.signal abort", async () => (await state(id)).aborted);
  });

  test("aborts request.signal and cancels the body when the client leaves a streamed response", async () => {
    const id = `stream-${target.name}`;
    const socket = await openSocket(server.port);
    const firstChunk = new Promise<void>((resolve) => {
      let text = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
        if (text.includes("first chunk")) resolve();
      });
    });
    socket.write(`GET /stream?id=${id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await firstChunk;
    assert.deepEqual(await state(id), { started: true, aborted: false, cancelled: false, readFailed: false });
    socket.destroy();
    await waitFor("the app to see the streamed response abandoned", async () => {
      const seen = await state(id);
      return seen.aborted && seen.cancelled;
    });
  });

  test("a client leaving mid-upload makes the app's body read fail instead of hang", async () => {
    const id = `upload-${target.name}`;
    const socket = await openSocket(server.port);
    socket.on("error", () => {});
    socket.write(`POST /upload?id=${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n`);
    socket.write(Buffer.alloc(256 * 1024));
    await waitFor("the app to start reading the upload", async () => (await state(id)).started);
    socket.destroy();
    await waitFor("the app's body read to fail", async () => (await state(id)).readFailed);
  });

  test("keeps serving after the aborted requests", async () => {
    const response = await fetch(`${server.url}/state?id=none`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { started: false, aborted: false, cancelled: false, readFailed: false });
  });
});
