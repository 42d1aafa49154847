import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

/** Opens a socket, reads the fixture's hello, runs `act`, and tells what came back first. */
async function outcome(server: LskyProcess, act: (ws: RawWebSocket) => void): Promise<string> {
  const ws = await openWebSocket(server.port, "/ws");
  await ws.nextText();
  act(ws);
  const result = await Promise.race([
    ws.closed.then((close) => `close ${close.code}`),
    ws.nextText().then((text) => `text ${text}`, () => "ended"),
  ]);
  ws.destroy();
  return result;
}

const CASES: [string, (ws: RawWebSocket) => void, string][] = [
  ["a fragmented text message with a ping between its fragments arrives whole", (ws) => {
    ws.sendFrame(0x1, Buffer.from("echo:frag"), { fin: false });
    ws.sendFrame(0x9, Buffer.from("ping"));
    ws.sendFrame(0x0, Buffer.from("mented"));
  }, "text fragmented"],
  ["an unmasked client frame closes with 1002", (ws) => ws.sendFrame(0x1, Buffer.from("echo:x"), { masked: false }), "close 1002"],
  ["a frame with a reserved bit set closes with 1002", (ws) => ws.sendFrame(0x41, Buffer.from("echo:x")), "close 1002"],
  ["invalid UTF-8 in a text message closes with 1007", (ws) => ws.sendFrame(0x1, Buffer.from([0x65, 0x63, 0xff, 0xfe])), "close 1007"],
  ["a message above the limit closes with 1009", (ws) => ws.sendText(`echo:${"x".repeat(5000)}`), "close 1009"],
];

describeTargets("RFC 6455 close codes", (target) => {
  let server: LskyProcess;
  after(() => server?.stop());

  for (const [name, act, expected] of CASES) {
    test(name, async () => {
      server ??= await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--ws-max-message", "4kb"]);
      assert.equal(await outcome(server, act), expected);
    });
  }
});

// Deno.serve (--deno-server native) keeps fewer of these: measured, it
// accepts an unmasked frame and drops the connection without a close frame
// (1006) on bad UTF-8 or a reserved bit (docs/WEBSOCKET.md). What it keeps:
for (const target of selectedTargets().filter((t) => t.name === "deno")) {
  describe("WebSocket on deno with --deno-server native", () => {
    test("upgrades, echoes, and closes with 1009 above the limit", async () => {
      const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--ws-max-message", "4kb", "--deno-server", "native"]);
      assert.equal(await outcome(server, (ws) => ws.sendText("echo:native")), "text native");
      assert.equal(await outcome(server, (ws) => ws.sendText(`echo:${"x".repeat(5000)}`)), "close 1009");
      assert.equal((await server.stop()).code, 0);
    });
  });
}
