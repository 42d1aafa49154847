import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { openWebSocket } from "./harness/ws-client.ts";

after(killAll);

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

// hono/bun: the app upgrades through Bun's server (c.env.server) and
// exports Bun's `websocket` handlers, which lsky's Bun.serve calls.
for (const target of selectedTargets().filter((t) => t.engine === "bun")) {
  describe(`hono/bun's upgradeWebSocket and websocket export on ${target.name}`, () => {
    test("echo through both forms of the helper; plain routes still answer", async () => {
      const server = await startLsky(target, [fixture("ws-hono-bun.ts"), "--workers", "1", "--host", "127.0.0.1"]);
      const ws = await openWebSocket(server.port, "/ws");
      assert.equal(ws.status, 101, ws.body);
      ws.sendText("hi");
      assert.equal(await ws.nextText(), "echo: hi");
      ws.close(1000);
      assert.equal((await ws.closed).code, 1000);
      const older = await openWebSocket(server.port, "/ws-older");
      assert.equal(older.status, 101, older.body);
      assert.equal(await older.nextText(), "hello");
      older.sendText("x");
      assert.equal(await older.nextText(), "older: x");
      older.close(1000);
      assert.deepEqual(await get(`${server.url}/`), { status: 200, body: "plain\n" });
      assert.equal((await server.stop()).code, 0);
    });

    test("stop closes the app's own sockets with 1001 when the listener closes, not at the end of the grace period", { timeout: 60_000 }, async () => {
      // With a grace period far longer than the test's time limit (a guard
      // against a hang, not a measurement), a socket the drain left open
      // would hold the worker until the test fails.
      const server = await startLsky(target, [fixture("ws-hono-bun.ts"), "--workers", "1", "--host", "127.0.0.1", "--grace-period", "1h"]);
      const ws = await openWebSocket(server.port, "/ws");
      assert.equal(ws.status, 101, ws.body);
      const exited = server.stop();
      assert.equal((await ws.closed).code, 1001);
      assert.equal((await exited).code, 0);
    });
  });
}

// hono/deno calls Deno.upgradeWebSocket(c.req.raw): Deno.serve can carry it
// out (the default server), Deno's node:http (`--deno-server node`) cannot.
for (const target of selectedTargets().filter((t) => t.name === "deno")) {
  describe(`hono/deno's upgradeWebSocket on ${target.name}`, () => {
    test("echo on the default server (Deno.serve)", async () => {
      const server = await startLsky(target, [fixture("ws-hono-deno.ts"), "--workers", "1", "--host", "127.0.0.1"]);
      const ws = await openWebSocket(server.port, "/ws");
      assert.equal(ws.status, 101, ws.body);
      ws.sendText("hi");
      assert.equal(await ws.nextText(), "echo: hi");
      ws.close(1000);
      assert.equal((await ws.closed).code, 1000);
      assert.equal((await server.stop()).code, 0);
    });

    test("with --deno-server node: a 500 and one line naming the fix, not a dead 101", async () => {
      const server = await startLsky(target, [fixture("ws-hono-deno.ts"), "--workers", "1", "--host", "127.0.0.1", "--deno-server", "node"]);
      for (let i = 0; i < 2; i++) {
        const ws = await openWebSocket(server.port, "/ws");
        assert.equal(ws.status, 500);
        assert.match(ws.body, /not supported/);
      }
      await server.waitForOutput(/--deno-server native/);
      assert.equal(server.output().match(/answered a WebSocket upgrade with its own 101/g)?.length, 1);
      assert.deepEqual(await get(`${server.url}/`), { status: 200, body: "plain\n" });
      assert.equal((await server.stop()).code, 0);
    });
  });
}
