import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { statusJson } from "./harness/supervision.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { processGone } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";

after(killAll);

// 10,000 idle WebSockets on one worker, on every target (measured: 3 to 8 s
// each on a shared 2-core machine); LSKY_WS_IDLE_CLIENTS changes the count.
const CLIENTS = Number(process.env.LSKY_WS_IDLE_CLIENTS ?? 10_000);
const AT_ONCE = 200;
const targets = selectedTargets();

/** The test process holds one descriptor per client: its own soft limit must allow them. */
function ownDescriptorLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3] ?? 0);
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line!.split(/\s+/)[1]);
}

async function connectIdle(port: number): Promise<{ ws: RawWebSocket; pid: number }> {
  const ws = await openWebSocket(port, "/ws?room=idle");
  assert.equal(ws.status, 101, `upgrade answered ${ws.status}: ${ws.body}`);
  return { ws, pid: (JSON.parse(await ws.nextText()) as { pid: number }).pid };
}

const tooFewDescriptors = ownDescriptorLimit() < CLIENTS + 1_000 ? `the test process may open ${ownDescriptorLimit()} files; raise ulimit -n above ${CLIENTS + 1_000}` : false;

for (const target of targets) {
  describe(`${CLIENTS} idle WebSockets on one ${target.name} worker`, { skip: tooFewDescriptors }, () => {
    test("the supervisor and the worker stay up and serve; RSS per connection is reported", { timeout: 600_000 }, async () => {
      // The worker needs a descriptor per connection: raise its soft limit to the hard one.
      const raiseLimit = ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh"];
      const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1",
        "--ws-max-connections", String(CLIENTS + 100)], { prefix: raiseLimit });
      const clients: RawWebSocket[] = [];
      try {
        const firstClient = await connectIdle(server.port);
        clients.push(firstClient.ws);
        const workerPid = firstClient.pid;
        const before = rssKb(workerPid);
        while (clients.length < CLIENTS) {
          const batch = Math.min(AT_ONCE, CLIENTS - clients.length);
          const opened = await Promise.all(Array.from({ length: batch }, () => connectIdle(server.port)));
          for (const { ws, pid } of opened) {
            assert.equal(pid, workerPid);
            clients.push(ws);
          }
        }
        const afterKb = rssKb(workerPid);
        const status = await statusJson(target, server.port);
        assert.equal(status.workers.length, 1);
        assert.equal(status.workers[0]!.pid, workerPid, "the worker was not replaced");
        assert.ok(!processGone(server.pid), "the supervisor is up");
        // The oldest and the newest connection still answer; so does HTTP.
        for (const ws of [clients[0]!, clients.at(-1)!]) {
          ws.sendText("echo:still-here");
          assert.equal(await ws.nextText(), "still-here");
        }
        clients[0]!.sendText("count:idle");
        assert.equal(await clients[0]!.nextText(/^count:/), `count:${CLIENTS}`);
        assert.equal((await fetch(`http://127.0.0.1:${server.port}/whoami`)).status, 200);
        const perConnection = ((afterKb - before) * 1024) / (CLIENTS - 1);
        process.stdout.write(`# figure ${target.name} ${CLIENTS} idle WebSockets on one worker: worker RSS ${Math.round(before / 1024)} MiB -> ` +
          `${Math.round(afterKb / 1024)} MiB, ${(perConnection / 1024).toFixed(1)} KiB per connection\n`);
      } finally {
        for (const ws of clients) ws.destroy();
      }
      assert.equal((await server.stop()).code, 0);
    });
  });
}
