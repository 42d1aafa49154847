import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";
import { processExited, waitFor } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";

after(killAll);

// 200 clients on every target (measured: 3 to 7 s each on a shared 2-core
// machine). LSKY_WS_RELOAD_CLIENTS changes the count.
const MESSAGES = 10;
const PUBLISHES = 5;
const GRACE_MS = 10_000;
const CLIENTS = Number(process.env.LSKY_WS_RELOAD_CLIENTS) > 0 ? Number(process.env.LSKY_WS_RELOAD_CLIENTS) : 200;

interface Joined {
  ws: RawWebSocket;
  pid: number;
}

/** Connects to the room, retrying a 503 (a draining worker refuses upgrades), and reads the hello. */
async function join(port: number): Promise<Joined> {
  return waitFor("an upgrade accepted", async () => {
    const ws = await openWebSocket(port, "/ws?room=load");
    if (ws.status !== 101) return undefined;
    return { ws, pid: (JSON.parse(await ws.nextText()) as { pid: number }).pid };
  }, 60_000);
}

/** Echoes messages one after the other until the server closes: load while the reload runs. */
async function chatUntilClosed(client: Joined, tag: number, answered: number[]): Promise<void> {
  answered[tag] = 0;
  for (;;) {
    client.ws.sendText(`echo:c${tag}-${answered[tag]}`);
    let text: string;
    try {
      text = await client.ws.nextText(/^c\d+-\d+$/);
    } catch {
      return; // The connection closed (the worker drained).
    }
    assert.equal(text, `c${tag}-${answered[tag]}`);
    answered[tag]!++;
  }
}

// On Deno both servers run: Deno.serve (the default, whose close frame lsky
// times around Deno's deferred close, see deno-websocket.ts) and node:http with ws.
const variantsOf = (target: Target) => target.engine === "deno"
  ? [{ args: [] as string[], title: " on Deno.serve" }, { args: ["--deno-server", "node"], title: " with --deno-server node" }]
  : [{ args: [] as string[], title: "" }];

for (const target of selectedTargets()) {
  const clients = CLIENTS;
  for (const variant of variantsOf(target)) describe(`WebSocket reload under load on ${target.name}${variant.title}`, () => {
    test(`${clients} clients exchanging messages all get 1012, reconnect to new workers, and miss no message sent after; no old worker outlives the grace period`, { timeout: 240_000 }, async () => {
      const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "2", "--host", "127.0.0.1", "--ws-drain-period", "300ms",
        "--grace-period", `${GRACE_MS}ms`, "--ws-max-connections", "1000", ...variant.args]);
      const first = await Promise.all(Array.from({ length: clients }, () => join(server.port)));
      const oldPids = new Set(first.map((c) => c.pid));
      const answered: number[] = [];
      const chats = first.map((client, i) => chatUntilClosed(client, i, answered));
      // Every client has had an answer before the reload starts: all are live.
      await waitFor("every client exchanging messages", () => answered.every((n) => n > 0));
      const reload = runLsky(target, ["reload", "--port", String(server.port)]);
      const codes = await Promise.all(first.map((c) => c.ws.closed.then((close) => close.code)));
      const unexpected = codes.filter((code) => code !== 1012);
      assert.deepEqual([...new Set(unexpected)], [], `close codes ${[...new Set(codes)].join(", ")}`);
      await Promise.all(chats);
      assert.equal((await reload).code, 0);
      await waitFor("the old workers gone", () => [...oldPids].every(processExited), GRACE_MS);

      const second = await Promise.all(Array.from({ length: clients }, () => join(server.port)));
      for (const client of second) assert.ok(!oldPids.has(client.pid), "a reconnect reached an old worker");
      // Every client is subscribed once its hello arrived: each echoes its own
      // messages in order, and every publish reaches every client, in order.
      for (let i = 0; i < PUBLISHES; i++) second[0]!.ws.sendText(`spub:load:n${i}`);
      await Promise.all(second.map(async (client, tag) => {
        for (let i = 0; i < PUBLISHES; i++) assert.equal(await client.ws.nextText(/^n\d+$/), `n${i}`);
        for (let i = 0; i < MESSAGES; i++) {
          client.ws.sendText(`echo:after${tag}-${i}`);
          assert.equal(await client.ws.nextText(/^after\d+-\d+$/), `after${tag}-${i}`);
        }
      }));
      for (const client of second) client.ws.close();
      assert.equal((await server.stop()).code, 0);
    });
  });
}

// A drain closes idle keep-alive connections once idle past the margin
// (--keep-alive-timeout, here 1 s); an upgraded connection is not one of them,
// whatever its age: the hub closes it with 1012 after --ws-drain-period. On
// node:http the idle sweep once took a WebSocket older than the margin for an
// idle connection and cut it, without a close frame, before the hub's 1012;
// Deno.serve's shutdown, once the margin had passed, closed them itself with
// 1001 (the drain now waits for the hub first).
for (const target of selectedTargets()) {
  for (const variant of variantsOf(target)) describe(`WebSocket older than the idle margin on ${target.name}${variant.title}`, () => {
    test("gets 1012 at a reload, not a cut connection", { timeout: 60_000 }, async () => {
      const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--keep-alive-timeout", "1s",
        "--ws-drain-period", "2s", "--grace-period", "10s", ...variant.args]);
      let stopped: { code: number | null } | undefined;
      try {
        const client = await join(server.port);
        client.ws.sendText("echo:alive");
        assert.equal(await client.ws.nextText(/^alive$/), "alive");
        // The socket's age is the condition under test: past the 1 s margin.
        await delay(1_500);
        const reload = runLsky(target, ["reload", "--port", String(server.port)]);
        assert.equal((await client.ws.closed).code, 1012);
        assert.equal((await reload).code, 0);
      } finally {
        stopped = await server.stop();
      }
      assert.equal(stopped.code, 0);
    });
  });
}
