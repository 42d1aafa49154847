import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

// Bounded: enough clients to land on every worker, old and new, many times.
const CLIENTS = 50;
const MESSAGES = 20;

/** Connects to the room, retrying a 503 (a draining worker refuses upgrades), and reads the hello. */
async function join(port: number): Promise<{ ws: RawWebSocket; pid: number }> {
  return waitFor("an upgrade accepted", async () => {
    const ws = await openWebSocket(port, "/ws?room=load");
    if (ws.status !== 101) return undefined;
    return { ws, pid: (JSON.parse(await ws.nextText()) as { pid: number }).pid };
  });
}

describeTargets("WebSocket reload under load", (target) => {
  test(`${CLIENTS} clients all get 1012, reconnect to new workers, and miss no message sent after`, async () => {
    const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "2", "--host", "127.0.0.1", "--ws-drain-period", "300ms"]);
    const first = await Promise.all(Array.from({ length: CLIENTS }, () => join(server.port)));
    const oldPids = new Set(first.map((c) => c.pid));
    const reload = runLsky(target, ["reload", "--port", String(server.port)]);
    const codes = await Promise.all(first.map((c) => c.ws.closed.then((close) => close.code)));
    assert.deepEqual([...new Set(codes)], [1012]);
    assert.equal((await reload).code, 0);
    const second = await Promise.all(Array.from({ length: CLIENTS }, () => join(server.port)));
    for (const client of second) assert.ok(!oldPids.has(client.pid), "a reconnect reached an old worker");
    // Every client is subscribed once its hello arrived; publish from one of them.
    for (let i = 0; i < MESSAGES; i++) second[0]!.ws.sendText(`spub:load:n${i}`);
    await Promise.all(second.map(async (client) => {
      for (let i = 0; i < MESSAGES; i++) assert.equal(await client.ws.nextText(/^n\d+$/), `n${i}`);
    }));
    for (const client of second) client.ws.close();
    assert.equal((await server.stop()).code, 0);
  });
});
