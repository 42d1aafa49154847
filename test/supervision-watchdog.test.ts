import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { allReady, waitForStatus } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processStat } from "../src/proc-stat.ts";

after(killAll);

const HEARTBEAT_TIMEOUT_MS = 1000;

/** The state letter of a process (T: stopped), from /proc. */
function processState(pid: number): string {
  return processStat(pid)?.state ?? "gone";
}

async function metric(admin: string, name: string): Promise<number> {
  const text = await (await fetch(`${admin}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} is exposed`);
  return Number(line.split(" ")[1]);
}

/**
 * Serves blocking.ts with an admin listener and the given heartbeat timeout;
 * resolves once every worker is ready.
 */
async function startWatched(target: Target, workers: number, timeoutMs: number) {
  const adminPort = await freePort();
  const server = await startLsky(target, [
    fixture("blocking.ts"), "--workers", String(workers), "--heartbeat-timeout", `${timeoutMs}ms`, "--admin", `127.0.0.1:${adminPort}`,
  ]);
  const ready = await waitForStatus(target, server.port, workers === 1 ? "a ready worker" : "every worker ready", (s) => allReady(s, workers));
  return { server, admin: `http://127.0.0.1:${adminPort}`, workers: ready.workers };
}

describeTargets("the heartbeat watchdog", { binaryStandsForBun: true }, (target) => {
  test("SIGSTOP for three heartbeat timeouts, then SIGCONT: the same workers keep serving", async () => {
    const { server, admin, workers: before } = await startWatched(target, 2, HEARTBEAT_TIMEOUT_MS);
    server.signal("SIGSTOP");
    await waitFor("the supervisor to be stopped", () => processState(server.pid) === "T");
    // The scenario itself: a pause longer than the heartbeat timeout, while the workers keep sending.
    await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_TIMEOUT_MS));
    server.signal("SIGCONT");
    await server.waitForOutput(/the supervisor did not run for \d+ ms/);
    const afterwards = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
    assert.deepEqual(afterwards.workers.map((w) => w.pid).sort(), before.map((w) => w.pid).sort(), "no worker was replaced");
    assert.ok(afterwards.workers.every((w) => w.restarts === 0 && w.lastExit === null));
    for (let i = 0; i < 4; i++) assert.equal((await fetch(`${server.url}/pid`)).status, 200);
    assert.doesNotMatch(server.output(), /unresponsive/);
    assert.equal(await metric(admin, "lsky_worker_unresponsive_kills_total"), 0);
    assert.ok(await metric(admin, "lsky_supervisor_stalls_total") >= 1);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("a worker that reported a slow loop is given that much longer: a slow request is not a hang", async () => {
    const timeout = 3000;
    const { server, admin, workers: [worker] } = await startWatched(target, 1, timeout);
    // Half the timeout: survives under any rule, and the worker reports that lag.
    assert.equal(await (await fetch(`${server.url}/busy?ms=${timeout / 2}`)).text(), String(worker!.pid));
    await waitFor("the worker to report its lag", async () => {
      const text = await (await fetch(`${admin}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith("lsky_worker_event_loop_lag_seconds{"));
      return line && Number(line.split(" ")[1]) >= 1;
    });
    // Longer than the timeout, shorter than the timeout plus the lag it reported.
    const slow = await fetch(`${server.url}/busy?ms=${timeout + 500}`);
    assert.equal(slow.status, 200);
    assert.equal(await slow.text(), String(worker!.pid));
    const status = await waitForStatus(target, server.port, "the same worker", (s) => allReady(s, 1));
    assert.equal(status.workers[0]!.pid, worker!.pid);
    assert.equal(status.workers[0]!.restarts, 0);
    assert.equal(await metric(admin, "lsky_worker_unresponsive_kills_total"), 0);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("a worker silent past the timeout but still doing I/O is overloaded, not hung: it is spared", async () => {
    const timeout = 2000;
    const { server, admin, workers: [worker] } = await startWatched(target, 1, timeout);
    // Past the timeout, short of three timeouts (the ceiling for a busy worker).
    const busy = await fetch(`${server.url}/busy-io?ms=${timeout * 1.75}`);
    assert.equal(await busy.text(), String(worker!.pid));
    const status = await waitForStatus(target, server.port, "the same worker", (s) => allReady(s, 1));
    assert.equal(status.workers[0]!.pid, worker!.pid);
    assert.match(server.output(), /still doing I\/O: overloaded, not hung/);
    assert.equal(await metric(admin, "lsky_worker_overload_spared_total"), 1);
    assert.equal(await metric(admin, "lsky_worker_unresponsive_kills_total"), 0);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("a worker that blocks its own event loop is still killed as unresponsive, and counted", async () => {
    const { server, admin } = await startWatched(target, 2, HEARTBEAT_TIMEOUT_MS);
    const blocked = fetch(`${server.url}/block`).then((r) => r.status, () => "reset");
    const replaced = await waitForStatus(target, server.port, "the blocked worker replaced", (s) =>
      allReady(s, 2) && s.workers.some((w) => w.lastExit?.reason === "unresponsive"));
    assert.equal(replaced.workers.filter((w) => w.restarts === 1).length, 1);
    assert.equal(await blocked, "reset");
    assert.match(server.output(), /sent no heartbeat for \d+ ms .*killing it as unresponsive/);
    assert.equal(await metric(admin, "lsky_worker_unresponsive_kills_total"), 1);
    assert.equal((await fetch(`${server.url}/pid`)).status, 200);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
