import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { portIsFree } from "../harness/ports.ts";
import { readStatus, readyPids } from "../harness/status.ts";
import { fixture, selectedTargets } from "../harness/targets.ts";
import { processGone, waitFor } from "../harness/wait.ts";
import { runWrk } from "../harness/wrk.ts";

after(killAll);

const CONNECTIONS = 8;

/** A figure for docs/RELIABILITY.md, printed into the test log. */
function figure(target: string, name: string, value: string): void {
  process.stdout.write(`# figure ${target} ${name}: ${value}\n`);
}

for (const target of selectedTargets()) {
  describe(`process faults on ${target.name}`, () => {
    test("kill -9 of a worker under load fails at most its own connections; a replacement serves", async () => {
      const server = await startLsky(target, [fixture("blocking.ts"), "--workers", "2"]);
      const before = await readStatus(target, server.port);
      const victim = before.workers[0]!;
      const load = runWrk({ url: `${server.url}/`, connections: CONNECTIONS, durationSeconds: 4 });
      await waitFor("load to reach the victim", async () => (await readStatus(target, server.port)).workers.find((w) => w.pid === victim.pid)!.requests > 50);
      const killedAt = Date.now();
      process.kill(victim.pid, "SIGKILL");
      const replaced = await waitFor("a replacement worker to be ready", async () => {
        const status = await readStatus(target, server.port);
        const slot = status.workers.find((w) => w.id === victim.id && w.state === "ready" && w.pid !== victim.pid);
        return slot ? status : undefined;
      });
      const replacementMs = Date.now() - killedAt;
      const result = await load;
      figure(target.name, "worker kill -9: failed requests", `${result.failures} of ${result.requests}`);
      figure(target.name, "worker kill -9: replacement ready after (ms, measured by polling status)", String(replacementMs));
      // Only the killed worker's requests may fail: at most one in flight on
      // each of its connections, plus one new connection each that was waiting
      // in its accept queue when it died (reset: tcp_migrate_req is off here).
      assert.ok(result.failures <= 2 * CONNECTIONS, `only the killed worker's connections may fail: ${result.output}`);
      const row = replaced.workers.find((w) => w.id === victim.id && w.pid !== victim.pid)!;
      assert.equal(row.restarts, 1);
      assert.equal(row.lastExit?.reason, "crashed");
      assert.equal(row.lastExit?.signal, "SIGKILL");
      assert.equal((await fetch(`${server.url}/`)).status, 200);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });

    test("kill -9 of the supervisor: every worker exits and the port can be bound again", async () => {
      const server = await startLsky(target, [fixture("blocking.ts"), "--workers", "2"]);
      const workers = readyPids(await readStatus(target, server.port));
      assert.equal(workers.length, 2);
      const killedAt = Date.now();
      process.kill(server.pid, "SIGKILL");
      await waitFor("every worker to exit", () => workers.every(processGone));
      const exitMs = Date.now() - killedAt;
      await waitFor("the port to be free", () => portIsFree(server.port));
      figure(target.name, "supervisor kill -9: all workers gone after (ms)", String(exitMs));
    });

    test("a worker that blocks its event loop is replaced; the other worker keeps serving", async () => {
      const server = await startLsky(target, [fixture("blocking.ts"), "--workers", "2", "--heartbeat-timeout", "2s"]);
      const before = await readStatus(target, server.port);
      // The blocking request never answers; its connection dies with the worker.
      const blocked = fetch(`${server.url}/block`).then((r) => r.status, () => "reset");
      const startedAt = Date.now();
      const stuck = await waitFor("one worker to stop answering", async () => {
        const status = await readStatus(target, server.port);
        return status.workers.find((w) => w.inflight > 0 || w.state !== "ready") ?? undefined;
      }).catch(() => undefined);
      let servedMeanwhile = 0;
      const replaced = await waitFor("the blocked worker to be replaced", async () => {
        const response = await fetch(`${server.url}/pid`, { signal: AbortSignal.timeout(500) }).catch(() => undefined);
        if (response?.ok) servedMeanwhile++;
        const status = await readStatus(target, server.port);
        return status.workers.find((w) => w.lastExit?.reason === "unresponsive" && w.state === "ready") ?? undefined;
      }, 30_000, 100);
      figure(target.name, "blocked event loop: replaced after (ms, heartbeat timeout 2s)", String(Date.now() - startedAt));
      assert.ok(before.workers.some((w) => w.id === replaced.id));
      assert.ok(servedMeanwhile > 0, "the other worker kept serving");
      assert.equal(replaced.restarts, 1);
      void stuck;
      assert.equal(await blocked, "reset");
      assert.equal((await fetch(`${server.url}/pid`)).status, 200);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });
  });
}
