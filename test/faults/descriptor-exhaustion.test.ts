import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, test } from "node:test";
import { send } from "../harness/http.ts";
import { killAll, startLsky } from "../harness/lsky.ts";
import { readStatus, readyPids } from "../harness/status.ts";
import { waitForStatus } from "../harness/supervision.ts";
import { fixture } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

// The server runs with this many descriptors per process (soft = hard, so
// raising the soft limit at start changes nothing), and the test opens three
// times as many idle connections: both workers run out.
const LIMIT = 128;
const CONNECTIONS = 3 * LIMIT;

/** Opens `count` connections that send nothing (bounded, loopback). */
function openIdle(port: number, count: number): Socket[] {
  return Array.from({ length: count }, () => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    return socket;
  });
}

async function servesAgain(url: string): Promise<string> {
  return waitFor("the server to answer again", async () => {
    const response = await send(`${url}/after`, {}, 2000).catch(() => undefined);
    return response?.status === 200 ? response.body.toString() : undefined;
  }, 60_000, 200);
}

describeTargets("descriptor exhaustion", { binaryStandsForBun: true }, (target) => {
  test("no worker exits, one line names the limit, and the server serves again once connections close", async () => {
    const server = await startLsky(target, [fixture("hello.js"), "--workers", "2", "--host", "127.0.0.1"], {
      prefix: ["prlimit", `--nofile=${LIMIT}:${LIMIT}`, "--"],
    });
    try {
      const before = readyPids(await readStatus(target, server.port)).sort();
      const sockets = openIdle(server.port, CONNECTIONS);
      await server.waitForOutput(new RegExp(`too many open files: the limit is ${LIMIT}; raise it with ulimit -n`), 30_000);
      // Past the heartbeat that used to throw: the supervisor still has both workers, unchanged.
      const during = readyPids(await readStatus(target, server.port)).sort();
      for (const socket of sockets) socket.destroy();
      const closedAt = Date.now();
      assert.equal(await servesAgain(server.url), "hello from js /after");
      const recoveredMs = Date.now() - closedAt;
      const status = await readStatus(target, server.port);
      const output = server.output();
      const replaced = status.workers.filter((w) => w.lastExit?.reason === "listener-dead").length;
      report({ suite: "descriptors", target: target.name, name: `${CONNECTIONS} idle connections, ${LIMIT} descriptors a process`, expected: "no worker exits; serves again",
        got: `${replaced} of ${status.workers.length} workers replaced as listener-dead, crashes: ${/crashed/.test(output) ? "yes" : "none"}; served again ${recoveredMs} ms after the connections closed`, verdict: "ok" });
      // On Deno the accept loop ends at the first failed accept, and Deno.serve
      // says so: the worker is replaced (listener-dead, below) while it lasts.
      if (target.engine !== "deno") assert.deepEqual(during, before, "a worker exited while descriptors were exhausted");
      assert.doesNotMatch(output, /crashed|Failed to get memory usage|EMFILE/);
      if (target.engine === "deno") {
        // Deno stops accepting for good after the episode (an engine bug);
        // lsky notices and replaces the worker, with the reason named.
        // The old worker's exit is recorded once it has drained.
        await waitForStatus(target, server.port, "a listener-dead replacement recorded", (s) => s.workers.some((w) => w.lastExit?.reason === "listener-dead"));
        assert.match(output, /stopped accepting connections \(listener-dead\)/);
      } else {
        assert.deepEqual(readyPids(status).sort(), before, output);
      }
    } finally {
      await server.stop();
    }
  });

  test("the listener check does not replace a healthy worker holding idle connections", async () => {
    const server = await startLsky(target, [fixture("hello.js"), "--workers", "2", "--host", "127.0.0.1"]);
    try {
      const before = readyPids(await readStatus(target, server.port)).sort();
      const sockets = openIdle(server.port, 40);
      // Several listener checks (one every 2 s) pass while the connections sit idle.
      const status = await waitForStatus(target, server.port, "workers up for 12 s", (s) => s.workers.every((w) => w.uptime >= 12_000), 60_000);
      for (const socket of sockets) socket.destroy();
      assert.deepEqual(readyPids(status).sort(), before);
      assert.doesNotMatch(server.output(), /listener-dead|too many open files/);
    } finally {
      await server.stop();
    }
  });
});
