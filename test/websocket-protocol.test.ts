import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";
import { openWebSocket } from "./harness/ws-client.ts";
import { FRAME_CASES } from "./harness/ws-frames.ts";

after(killAll);

/**
 * Where a server cannot keep RFC 6455, the test asserts what it does
 * instead (measured; docs/WEBSOCKET.md lists these, and so does the
 * start-up note for Deno.serve, Deno's default). Keyed by server, then case name.
 */
const DEVIATIONS: Record<string, Record<string, string>> = {
  // Deno.serve: Deno's own frame reader accepts an unmasked frame and drops
  // the connection without a close frame (1006) on every other protocol error.
  "deno native": {
    "an unmasked client frame closes with 1002": "text x",
    ...Object.fromEntries([
      "a frame with a reserved bit set closes with 1002",
      "an unknown opcode (3) closes with 1002",
      "a continuation frame with no message to continue closes with 1002",
      "a new message before the last one's final fragment closes with 1002",
      "a fragmented ping closes with 1002",
      "a ping with more than 125 bytes closes with 1002",
      "invalid UTF-8 in a text message closes with 1007",
      "invalid UTF-8 across fragments closes with 1007",
    ].map((name) => [name, "close 1006"])),
  },
};

// Deno serves with Deno.serve unless asked for node:http (`--deno-server node`).
function serverName(target: Target, nodeHttp: boolean): string {
  if (target.name === "deno") return nodeHttp ? "deno" : "deno native";
  return target.name === "binary" ? "bun" : target.name;
}

function runCases(target: Target, nodeHttp: boolean): void {
  const name = serverName(target, nodeHttp);
  describe(`RFC 6455 cases on ${target.name}${nodeHttp ? " with --deno-server node" : ""}`, () => {
    let server: LskyProcess;
    after(() => server?.stop());
    for (const frameCase of FRAME_CASES) {
      const expected = DEVIATIONS[name]?.[frameCase.name] ?? frameCase.expected;
      test(`${frameCase.name}${expected === frameCase.expected ? "" : ` (this server: ${expected})`}`, { timeout: 30_000 }, async () => {
        server ??= await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--ws-max-message", "4kb",
          ...(nodeHttp ? ["--deno-server", "node"] : [])]);
        const ws = await openWebSocket(server.port, "/ws");
        assert.equal(ws.status, 101, ws.body);
        await ws.nextText(); // the fixture's hello
        try {
          assert.equal(await frameCase.run(ws), expected);
        } finally {
          ws.destroy();
        }
      });
    }
  });
}

for (const target of selectedTargets()) {
  runCases(target, false);
  if (target.name === "deno") runCases(target, true);
}
