import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { allReady, childrenOf, type StatusJson, waitForStatus } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { skipUnless } from "./harness/system-tools.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { tempDir } from "./harness/temp-dir.ts";

after(killAll);

// A PID namespace needs root (or user namespaces); skip where unshare cannot make one.
const canUnshare = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"]).status === 0;

/** The same target, started as PID 1 of a new PID namespace. */
function asPid1(target: Target): Target {
  return { ...target, command: "unshare", args: ["--pid", "--fork", "--mount-proc", target.command, ...target.args] };
}

describeTargets("as PID 1", { skip: skipUnless(canUnshare, "unshare --pid (util-linux, root or user namespaces)") }, (target) => {
  test("reaps orphaned grandchildren, forwards SIGTERM to the workers, exits 0", async () => {
    const server = await startLsky(asPid1(target), [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    const status = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
    assert.equal(status.pid, 1, "the supervisor is PID 1 in its namespace");
    const [supervisor] = childrenOf(server.pid).map((c) => c.pid);
    assert.ok(supervisor, "found the supervisor's pid outside the namespace");

    // Each request leaves a `sleep 1` whose parent exited: it is re-parented to PID 1.
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/orphan?n=1`)).status, 200);
    const sleepers = () => childrenOf(supervisor).filter((c) => c.name === "sleep");
    await waitFor("three orphans adopted by PID 1", () => sleepers().length === 3);

    if (target.engine === "node") {
      // Node has no FFI for waitpid: lsky says so at start (documented in OPERATIONS.md).
      assert.match(server.output(), /running as PID 1 on node: orphaned processes cannot be reaped/);
    } else {
      assert.doesNotMatch(server.output(), /cannot be reaped/);
      await waitFor("the orphans to exit and be reaped (no zombies)", () => sleepers().length === 0, 15_000);
    }

    // The workers' pids as seen from outside the namespace.
    const workers = childrenOf(supervisor).filter((c) => c.name !== "sleep").map((c) => c.pid);
    assert.equal(workers.length, 2, JSON.stringify(childrenOf(supervisor)));
    process.kill(supervisor, "SIGTERM");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    for (const pid of [supervisor, ...workers]) await waitFor(`pid ${pid} gone`, () => processGone(pid), 10_000);
    assert.match(server.output(), /stopping: draining workers/);
  });

  test("custom processes: reaped when they crash, their orphans reaped, gone after SIGTERM", async () => {
    const cwd = tempDir("lsky-pid1-processes-");
    writeFileSync(join(cwd, "app.mjs"), `export default { fetch: () => new Response("ok") };\n`);
    writeFileSync(join(cwd, "ticker.mjs"), `export default { start() { setInterval(() => {}, 1000); } };\n`);
    // The command leaves an orphan (a `sleep 1` whose parent shell exited) each time it starts.
    writeFileSync(join(cwd, "lsky.config.mjs"), `export default {
      entry: "app.mjs",
      processes: {
        ticker: { module: "./ticker.mjs" },
        legacy: { command: ["sh", "-c", "(sleep 1 &); exec sleep 600"], restartDelay: "50ms" },
      },
    };\n`);
    const server = await startLsky(asPid1(target), ["--workers", "1", "--host", "127.0.0.1"], { cwd });
    const ready = (s: StatusJson) => ["ticker", "legacy"].every((name) =>
      (s as StatusJson & { pools?: { name: string; workers: { state: string }[] }[] }).pools?.find((p) => p.name === `process:${name}`)?.workers[0]?.state === "ready");
    await waitForStatus(target, server.port, "both processes ready", ready);
    const [supervisor] = childrenOf(server.pid).map((c) => c.pid);
    const named = (name: string) => childrenOf(supervisor!).filter((c) => c.name === name);
    const legacy = () => childrenOf(supervisor!).find((c) => c.name === "sleep" && childrenOf(c.pid).length === 0 && c.state !== "Z" && isLongSleep(c.pid));
    const first = await waitFor("the command process", legacy);
    process.kill(first.pid, "SIGKILL");
    await waitFor("the command restarted", () => legacy() && legacy()!.pid !== first.pid);
    // The killed command is the engine's own child: reaped on every engine, never a zombie.
    await waitFor(`killed command ${first.pid} reaped`, () => processGone(first.pid), 10_000);
    if (target.engine !== "node") {
      await waitFor("the orphaned sleeps reaped", () => named("sleep").every((c) => isLongSleep(c.pid)), 15_000);
    }
    const children = childrenOf(supervisor!).map((c) => c.pid);
    process.kill(supervisor!, "SIGTERM");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    for (const pid of [supervisor!, ...children]) await waitFor(`pid ${pid} gone`, () => processGone(pid), 10_000);
  });
});

/** The command's own `sleep 600`, not one of the `sleep 1` orphans. */
function isLongSleep(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("600");
  } catch {
    return false;
  }
}
