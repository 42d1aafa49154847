import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { statusJson } from "./harness/supervision.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { openWebSocket } from "./harness/ws-client.ts";

after(killAll);

// 16 KB messages against a 64 KB send buffer: a subscriber that stops
// reading fills the kernel's buffers, then passes the cap within a few MB.
const PAYLOAD = "x".repeat(16_000);
const MAX_PUBLISHES = 4000;

for (const target of selectedTargets()) {
  describe(`WebSocket send buffer cap on ${target.name}`, () => {
    test("a subscriber that stops reading while others publish is closed and counted as an overflow; the publisher is still served", async () => {
      const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--ws-send-buffer", "64kb", "--ws-max-message", "64kb"]);
      try {
        const lagger = await openWebSocket(server.port, "/ws?room=lag");
        assert.equal(lagger.status, 101);
        await lagger.nextText();
        lagger.stopReading();
        const publisher = await openWebSocket(server.port, "/ws?room=lag");
        await publisher.nextText();
        let sent = 0;
        const overflows = async () => (await statusJson(target, server.port)).workers[0]!.websockets?.overflows ?? 0;
        // Each publish waits for its own copy (sockets.publish reaches the sender too), so the pace is the server's.
        while (sent < MAX_PUBLISHES && (sent % 100 !== 0 || (await overflows()) === 0)) {
          publisher.sendText(`spub:lag:${PAYLOAD}`);
          assert.equal((await publisher.nextText(/^x/)).length, PAYLOAD.length);
          sent++;
        }
        // The worker reports on its heartbeat: wait for its report (bounded, never a guess).
        const counted = await waitFor("the overflow in the worker's report", async () => (await overflows()) || undefined, 5_000).catch(() => 0);
        const sockets = (await statusJson(target, server.port)).workers[0]!.websockets;
        assert.equal(counted, 1, `the lagging subscriber, once (after ${sent} publishes; worker's sockets: ${JSON.stringify(sockets)})`);
        publisher.sendText("echo:still here");
        assert.equal(await publisher.nextText(/^still/), "still here");
        lagger.destroy();
        publisher.close();
      } finally {
        // A failed case must not leave its server running: the next target starts in the same directory.
        await server.stop();
      }
    });
  });
}
