import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { allReady, childrenOf, waitForStatus } from "./harness/supervision.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processStat } from "../src/proc-stat.ts";
import { TIED_PARENT_ENV } from "../src/runtime/role-names.ts";

// Workers that outlived the test (the failure this file tests for) would spin
// forever in their busy loop, adopted by init: kill them by pid.
const workerPids = new Set<number>();
after(() => {
  killAll();
  for (const pid of workerPids) {
    try {
      // Only if the pid still names an lsky worker (it is not reused by another process).
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("__worker")) process.kill(pid, "SIGKILL");
    } catch {
      // Gone, as it should be.
    }
  }
});

// The bound docs/RELIABILITY.md states for an orphaned worker whose event loop is blocked.
const ORPHAN_BOUND_MS = 2000;
// CPU ticks (1/100 s) a worker spins before it counts as blocked: an idle worker uses almost none.
const SPINNING_TICKS = 50;

/** user + system CPU ticks of a process, or undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  return processStat(pid)?.cpuTicks;
}

function isWorker(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("__worker");
  } catch {
    return false;
  }
}

/** Whether a process was started with the environment tied-launch.ts gives a child tied to `parent`. */
function startedTiedTo(pid: number, parent: number): boolean {
  return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`${TIED_PARENT_ENV}=${parent}`);
}

/** Gone, or a zombie waiting for whoever adopted it to reap it: either way it serves nothing. */
function dead(pid: number): boolean {
  const state = processStat(pid)?.state;
  return state === undefined || state === "Z";
}

describeTargets("orphans", (target) => {
  test("kill -9 of the supervisor while every worker's event loop is blocked: every worker goes away", async () => {
    // No heartbeat watchdog: the blocked workers must outlive their supervisor by nothing else.
    const server = await startLsky(target, [fixture("blocking.ts"), "--workers", "2", "--heartbeat-timeout", "0"]);
    const status = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
    const pids = status.workers.map((w) => w.pid);
    for (const pid of pids) workerPids.add(pid);
    // With setpriv on the host, each worker was started through it: tied before it ran a line.
    if (existsSync("/usr/bin/setpriv")) for (const pid of pids) assert.ok(startedTiedTo(pid, server.pid), `worker ${pid} started through setpriv`);
    const start = new Map(pids.map((pid) => [pid, cpuTicks(pid)!]));
    const blocked = (pid: number) => cpuTicks(pid)! - start.get(pid)! >= SPINNING_TICKS;
    const requests: Promise<unknown>[] = [];
    const abort = new AbortController();
    // Each request lands on either worker; send more until both spin.
    await waitFor("both workers to be stuck in the busy loop", () => {
      if (requests.length < 40) {
        requests.push(fetch(`${server.url}/block`, { signal: abort.signal, headers: { connection: "close" } }).catch(() => {}));
      }
      return pids.every(blocked);
    }, 60_000, 250);
    const killedAt = Date.now();
    process.kill(server.pid, "SIGKILL");
    await waitFor("every worker to be gone", () => pids.every(dead), ORPHAN_BOUND_MS, 10);
    process.stdout.write(`# figure ${target.name} blocked workers gone after supervisor kill -9 (ms): ${Date.now() - killedAt}\n`);
    abort.abort();
    await Promise.all(requests);
    assert.ok(pids.every(dead));
  });

  test("kill -9 of a --watch supervisor: its worker and its spare (and Node's warm esbuild) go away", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-orphan-watch-"));
    try {
      // TypeScript: on Node the supervisor bundles it and keeps esbuild's service warm.
      writeFileSync(join(dir, "app.ts"), 'export default { fetch: (): Response => new Response("hi") };\n');
      const server = await startLsky(target, [join(dir, "app.ts"), "--watch", "--workers", "1", "--host", "127.0.0.1"]);
      const worker = (await waitForStatus(target, server.port, "a ready worker", (s) => allReady(s, 1))).workers[0]!.pid;
      // The spare boots once the worker is ready: a second lsky child.
      const children = await waitFor("the spare beside the worker", () => {
        const found = childrenOf(server.pid).filter((c) => c.state !== "Z").map((c) => c.pid);
        return found.some((pid) => pid !== worker && isWorker(pid)) ? found : undefined;
      });
      for (const pid of children) workerPids.add(pid);
      process.kill(server.pid, "SIGKILL");
      await waitFor("the worker, the spare and every other child to be gone", () => children.every(dead) || undefined, ORPHAN_BOUND_MS * 3, 10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
