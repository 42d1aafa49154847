import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { allReady, statusJson, waitForStatus } from "./harness/supervision.ts";
import { fixture } from "./harness/targets.ts";
import { freePort } from "./harness/ports.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const hasPrlimit = spawnSync("prlimit", ["--version"]).status === 0;

/** Sets the soft open-files limit of a running process (the hard one stays, so it can be raised again). */
function setSoftNofile(pid: number, soft: number): void {
  const result = spawnSync("prlimit", ["--pid", String(pid), `--nofile=${soft}:`], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
}

/** How many descriptors 0, 1, 2, ... a process holds without a gap: a limit of this leaves it none. */
function denseDescriptors(pid: number): number {
  const open = new Set(readdirSync(`/proc/${pid}/fd`).map(Number));
  let n = 0;
  while (open.has(n)) n++;
  return n;
}

describeTargets("the supervisor out of descriptors", { skip: hasPrlimit ? false : "prlimit (util-linux) is not installed" }, (target) => {
  test("a restart the host refuses is retried, said once, and the worker comes back when the limit is raised", async () => {
    const adminPort = await freePort();
    const server = await startLsky(target, [fixture("blocking.ts"), "--workers", "2", "--admin", `127.0.0.1:${adminPort}`]);
    const before = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
    const victim = before.workers[0]!;
    // Only the victim's descriptors come free (3, or 4 with Node's IPC channel): enough to accept
    // `lsky status`, too few to start a worker (two pipes, plus the IPC pair on Node). Two below the
    // count, so that a descriptor open just now (the last status connection closing) frees no room.
    setSoftNofile(server.pid, denseDescriptors(server.pid) - 2);
    process.kill(victim.pid, "SIGKILL");
    await server.waitForOutput(/cannot start worker \d: too many open files.*limit of \d+ open descriptors/);
    const during = await statusJson(target, server.port);
    assert.equal(during.workers.length, 1, "the other worker still serves; the victim's slot waits");
    assert.equal((await fetch(`${server.url}/pid`)).status, 200);
    // Retries (100 ms, 200 ms, ...) are refused meanwhile: the reason is said once only.
    // The limit is raised only after a second refusal, whatever the host's speed.
    await waitFor("a second refused start", async () => {
      const metrics = await fetch(`http://127.0.0.1:${adminPort}/metrics`).then((r) => r.text(), () => "");
      return Number(/^lsky_worker_spawn_failures_total (\d+)$/m.exec(metrics)?.[1] ?? 0) >= 2;
    }, 20_000);
    setSoftNofile(server.pid, 4096);
    const recovered = await waitForStatus(target, server.port, "the worker back", (s) => allReady(s, 2), 40_000);
    assert.ok(recovered.workers.every((w) => w.pid !== victim.pid));
    assert.equal(server.output().match(/too many open files/g)?.length, 1, server.output());
    const refused = Number(server.output().match(/worker \d started after (\d+) refused attempts?/)?.[1]);
    assert.ok(refused >= 2, `several refused attempts, one line about them: ${server.output()}`);
    assert.doesNotMatch(server.output(), /giving up/);
    assert.equal((await fetch(`${server.url}/pid`)).status, 200);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
