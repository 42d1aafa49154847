// request.signal aborts when the client disconnects mid-request: the app
// records it, and a later request asks the app what it saw.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { openSocket } from "./harness/raw-http.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(killAll);

for (const target of selectedTargets()) {
  describe(`client disconnects on ${target.name}`, () => {
    let server: LskyProcess;
    before(async () => {
      server = await startLsky(target, [fixture("abort.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    });
    after(async () => assert.equal((await server.stop()).code, 0));

    const state = async (id: string) => (await fetch(`${server.url}/state?id=${id}`)).json() as Promise<{ started: boolean; aborted: boolean }>;

    test("aborts request.signal when the client goes away mid-request", async () => {
      const id = `gone-${target.name}`;
      const socket = await openSocket(server.port);
      socket.write(`GET /hang?id=${id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await waitFor("the app to start the request", async () => (await state(id)).started);
      assert.equal((await state(id)).aborted, false, "not aborted while the client is connected");
      socket.destroy();
      await waitFor("the app to see request.signal abort", async () => (await state(id)).aborted);
    });

    test("keeps serving after the aborted request", async () => {
      const response = await fetch(`${server.url}/state?id=none`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { started: false, aborted: false });
    });
  });
}
