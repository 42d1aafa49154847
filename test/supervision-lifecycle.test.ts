import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, type LskyProcess, runLsky, spawnTarget, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { allReady, waitForStatus } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { processExited, processGone, waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const scratch = mkdtempSync(join(tmpdir(), "lsky-lifecycle-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
// The control sockets of these servers live here, so the test can check their modes.
const runtimeDir = join(scratch, "run");
const env = { LSKY_RUNTIME_DIR: runtimeDir };
// Every lsky this file starts (status helpers included) looks there.
process.env.LSKY_RUNTIME_DIR = runtimeDir;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function startTwo(target: Target, cwd: string, extra: string[] = []): Promise<{ server: LskyProcess; pids: number[] }> {
  const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1", ...extra], { cwd, env });
  const status = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
  return { server, pids: status.workers.map((w) => w.pid) };
}

async function assertAllGone(server: LskyProcess, pids: number[]): Promise<void> {
  for (const pid of [server.pid, ...pids]) await waitFor(`pid ${pid} to be gone`, () => processGone(pid), 10_000);
  assert.ok(await portIsFree(server.port), `port ${server.port} is still taken`);
}

describeTargets("stop and control", { binaryStandsForBun: true }, (target) => {
  test("lsky stop (found by directory) drains and exits 0; pid file and sockets are cleaned up", async () => {
    const cwd = mkdtempSync(join(scratch, "app-"));
    const pidFile = join(cwd, "lsky.pid");
    const { server, pids } = await startTwo(target, cwd, ["--pid-file", pidFile]);
    assert.equal(readFileSync(pidFile, "utf8"), `${server.pid}\n`);
    const portSocket = join(runtimeDir, `lsky-${process.getuid!()}`, `port-${server.port}.sock`);
    assert.equal(statSync(portSocket).mode & 0o777, 0o600);
    assert.equal(statSync(join(runtimeDir, `lsky-${process.getuid!()}`)).mode & 0o777, 0o700);

    const stop = await runLsky(target, ["stop"], { cwd, env });
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`^Stopped lsky \\(pid ${server.pid}\\) in \\d+ ms\n$`));
    // lsky stop returned only once the supervisor had exited. This process is
    // its parent and may not have reaped it yet: a zombie has exited too
    // (lsky stop counts it as gone, cli/wait-exit.ts).
    assert.ok(server.child.exitCode !== null || processExited(server.pid), "the server was still running when lsky stop returned");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await assertAllGone(server, pids);
    assert.equal(existsSync(pidFile), false, "pid file left behind");
    assert.equal(existsSync(portSocket), false, "control socket left behind");
    assert.match(server.output(), /stopping: draining workers/);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} drains every worker (an in-flight request finishes) and exits 0`, async () => {
      const { server, pids } = await startTwo(target, mkdtempSync(join(scratch, "app-")));
      // Long enough that a status poll on a loaded host still sees it in flight.
      const slow = fetch(`${server.url}/slow?n=4000`).then(async (r) => [r.status, await r.text()] as const);
      await waitForStatus(target, server.port, "the slow request in flight", (s) => s.workers.some((w) => w.inflight === 1));
      server.signal(signal);
      const [status, text] = await slow;
      assert.equal(status, 200);
      assert.match(text, /^pid \d+/);
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      await assertAllGone(server, pids);
    });
  }

  test("a second signal forces the exit", async () => {
    const pidFile = join(mkdtempSync(join(scratch, "forced-")), "lsky.pid");
    const { server, pids } = await startTwo(target, mkdtempSync(join(scratch, "app-")), ["--grace-period", "60s", "--pid-file", pidFile]);
    assert.ok(existsSync(pidFile));
    const slow = fetch(`${server.url}/slow?n=60000`).catch((error: Error) => error);
    await waitForStatus(target, server.port, "the slow request in flight", (s) => s.workers.some((w) => w.inflight === 1));
    server.signal("SIGTERM");
    await server.waitForOutput(/stopping: draining workers/);
    server.signal("SIGTERM");
    assert.deepEqual(await server.exited, { code: 1, signal: null });
    assert.match(server.output(), /second signal: forcing exit/);
    assert.ok((await slow) instanceof Error, "the cut request failed");
    assert.equal(existsSync(pidFile), false, "pid file left behind");
    await assertAllGone(server, pids);
  });

  test("with no server: status, reload and stop say so in one line and exit 3", async () => {
    const port = await freePort();
    for (const command of ["status", "reload", "stop"]) {
      const byPort = await runLsky(target, [command, "--port", String(port)], { env });
      assert.equal(byPort.code, 3, `${command}: ${byPort.stderr}`);
      assert.equal(byPort.stdout, "");
      assert.match(byPort.stderr, new RegExp(`^\\S.*No lsky server is running on port ${port}\\n$`));
    }
    const byDir = await runLsky(target, ["status"], { env, cwd: mkdtempSync(join(scratch, "empty-")) });
    assert.equal(byDir.code, 3);
    assert.match(byDir.stderr, /^\S.*No lsky server started in \S+ is running\n$/);
  });

  test("status -i refreshes; --port selects the server", async () => {
    // Two directories: a second server in a directory whose server is alive is refused.
    const { server: one } = await startTwo(target, mkdtempSync(join(scratch, "one-")));
    const { server: two } = await startTwo(target, mkdtempSync(join(scratch, "two-")));
    const watcher = spawnTarget(target, ["status", "--json", "-i", "0.2", "--port", String(two.port)], { env });
    let out = "";
    watcher.stdout!.setEncoding("utf8").on("data", (s: string) => (out += s));
    try {
      await waitFor("three status reports", () => (out.match(/"pid": \d+,\n  "version"/g)?.length ?? 0) >= 3);
    } finally {
      watcher.kill("SIGKILL");
    }
    const pids = [...out.matchAll(/^ {2}"pid": (\d+),$/gm)].map((m) => Number(m[1]));
    assert.ok(pids.length >= 3 && pids.every((pid) => pid === two.pid), `supervisor pids: ${pids}`);
    assert.deepEqual(await one.stop(), { code: 0, signal: null });
    assert.deepEqual(await two.stop(), { code: 0, signal: null });
  });
});
