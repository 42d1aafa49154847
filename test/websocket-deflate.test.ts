import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { pythonPeer } from "./harness/ws-peer.ts";

after(killAll);

// python3-websockets offers permessage-deflate by default: with --ws-deflate
// the server agrees and a compressible message (larger than the `ws`
// package's 1 KiB threshold, so both directions are compressed) comes back
// whole; without it the server declines and the same message still works.
const TEXT = "compress me ".repeat(400).trim();
// Deno.serve (Deno's default server) has no permessage-deflate; node:http with `ws` does.
const DEFLATE_SERVER: Record<string, string[]> = { deno: ["--deno-server", "node"] };

for (const target of selectedTargets()) {
  describe(`permessage-deflate on ${target.name}`, () => {
    for (const deflate of [true, false]) {
      test(deflate ? "--ws-deflate: agreed with a client that offers it; messages arrive whole" : "off by default: declined, messages arrive whole", async () => {
        const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", ...(deflate ? ["--ws-deflate", ...DEFLATE_SERVER[target.engine] ?? []] : [])]);
        try {
          const peer = await pythonPeer(`ws://127.0.0.1:${server.port}/ws`, TEXT);
          assert.equal(peer.code, 0, peer.stderr);
          assert.equal(peer.lines[1], TEXT);
          if (deflate) assert.match(peer.lines[2]!, /^permessage-deflate/);
          else assert.equal(peer.lines[2], "none");
        } finally {
          assert.equal((await server.stop()).code, 0);
        }
      });
    }
  });
}
