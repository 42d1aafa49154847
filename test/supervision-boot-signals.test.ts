import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { type Exit, killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { childrenOf } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { tempDir } from "./harness/temp-dir.ts";

after(killAll);

const canUnshare = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"]).status === 0;

function asPid1(target: Target): Target {
  return { ...target, command: "unshare", args: ["--pid", "--fork", "--mount-proc", target.command, ...target.args] };
}

/** A server whose workers wait in their module until the test writes the gate file. */
async function startBooting(target: Target) {
  const dir = tempDir("lsky-boot-signals-");
  const gate = join(dir, "gate");
  const runtime = join(dir, "run");
  const pidFile = join(dir, "lsky.pid");
  const server = await startLsky(target, [fixture("slow-boot.ts"), "--workers", "2", "--host", "127.0.0.1", "--pid-file", pidFile], {
    waitReady: false,
    env: { LSKY_TEST_BOOT_GATE: gate, LSKY_RUNTIME_DIR: runtime },
  });
  const booting = () => readdirSync(dir).filter((name) => name.startsWith("gate."));
  await waitFor("both workers to be loading the app", () => booting().length === 2, 30_000);
  return { server, dir, gate, runtime, pidFile };
}

async function exitOf(server: LskyProcess): Promise<Exit> {
  return waitFor("the supervisor to exit", () => Promise.race([server.exited, new Promise<undefined>((r) => setTimeout(r, 100))]), 30_000);
}

function leftovers(runtime: string): string[] {
  return existsSync(runtime) ? readdirSync(runtime, { recursive: true }).map(String).filter((name) => /\.sock$|\.pid$/.test(name)) : [];
}

describeTargets("signals while the workers boot", (target) => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} stops cleanly: exit 0, no pid file, no sockets, no workers`, async () => {
      const { server, runtime, pidFile } = await startBooting(target);
      const workers = childrenOf(server.pid).map((c) => c.pid);
      server.signal(signal);
      assert.deepEqual(await exitOf(server), { code: 0, signal: null }, server.output());
      assert.match(server.output(), /stopping during start-up/);
      assert.equal(existsSync(pidFile), false);
      assert.deepEqual(leftovers(runtime), []);
      for (const pid of workers) await waitFor(`worker ${pid} gone`, () => !existsSync(`/proc/${pid}`));
    });
  }

  test("SIGHUP is kept until the workers are ready, then they are reloaded", async () => {
    const { server, dir, gate } = await startBooting(target);
    const firstBoot = readdirSync(dir).filter((n) => n.startsWith("gate.")).map((n) => Number(n.slice(5)));
    server.signal("SIGHUP");
    await server.waitForOutput(/SIGHUP during start-up/);
    writeFileSync(gate, "open\n");
    await server.waitForOutput(/reload finished/, 30_000);
    // After the reload the supervisor's children are new workers only (the old ones drained away).
    const workers = await waitFor("two workers of the reload, and no other", () => {
      const pids = childrenOf(server.pid).map((c) => c.pid);
      return pids.length === 2 && pids.every((pid) => !firstBoot.includes(pid)) ? pids : undefined;
    });
    for (const pid of workers) assert.match(await (await fetch(`${server.url}/`)).text(), /^ready \d+$/, String(pid));
    assert.equal((await fetch(`${server.url}/`)).status, 200);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("as PID 1, SIGTERM while booting stops cleanly with exit 0", { skip: canUnshare ? false : "unshare --pid is not available" }, async () => {
    const { server, runtime } = await startBooting(asPid1(target));
    const [supervisor] = childrenOf(server.pid).map((c) => c.pid);
    assert.ok(supervisor, "found the supervisor outside the namespace");
    process.kill(supervisor, "SIGTERM");
    assert.deepEqual(await exitOf(server), { code: 0, signal: null }, server.output());
    assert.match(server.output(), /stopping during start-up/);
    assert.deepEqual(leftovers(runtime), []);
  });
});
