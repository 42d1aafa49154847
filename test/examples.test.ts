// Every example in examples/ serves what its README promises, on each engine
// and the binary.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";

after(killAll);

const EXAMPLES = join(ROOT, "examples");

describeTargets("examples", (target) => {
  test("hono: typed c.env, routes with parameters", async () => {
    const server = await startLsky(target, [join(EXAMPLES, "hono", "app.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    try {
      assert.equal(await (await fetch(`${server.url}/`)).text(), "Hello from Hono on lsky");
      assert.equal(await (await fetch(`${server.url}/ip`)).text(), "127.0.0.1");
      assert.deepEqual(await (await fetch(`${server.url}/users/7`)).json(), { id: "7", worker: 1 });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("fetch: a plain object with env.remoteAddr and env.bus", async () => {
    const server = await startLsky(target, [join(EXAMPLES, "fetch", "app.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    try {
      assert.equal(await (await fetch(`${server.url}/`)).text(), "Hello from lsky, 127.0.0.1\n");
      assert.deepEqual(await (await fetch(`${server.url}/json`)).json(), { worker: 1, method: "GET" });
      assert.equal((await fetch(`${server.url}/nope`)).status, 404);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("static-site: files from ./public, everything else from the app", async () => {
    const cwd = join(EXAMPLES, "static-site");
    const server = await startLsky(target, ["app.ts", "--workers", "1", "--host", "127.0.0.1"], { cwd });
    try {
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(await page.text(), /A static site on lsky/);
      assert.match(await (await fetch(`${server.url}/style.css`)).text(), /font:/);
      const api = await (await fetch(`${server.url}/api/time`)).json() as { path: string };
      assert.equal(api.path, "/api/time");
      assert.equal((await fetch(`${server.url}/missing.html`)).status, 404);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("hooks: state from onWorkerStart, requestContext() in a helper, onWorkerStop on stop", async () => {
    // As its README says: run from a folder where lsky is installed.
    const cwd = mkdtempSync(join(tmpdir(), "lsky-example-hooks-"));
    mkdirSync(join(cwd, "node_modules"));
    symlinkSync(ROOT, join(cwd, "node_modules", "lsky"));
    copyFileSync(join(EXAMPLES, "hooks", "app.ts"), join(cwd, "app.ts"));
    const server = await startLsky(target, ["app.ts", "--workers", "1", "--host", "127.0.0.1", "--request-context"], { cwd });
    try {
      assert.equal(await (await fetch(`${server.url}/`)).text(), "hello from worker 1 (http)");
      assert.match(await (await fetch(`${server.url}/audit`)).text(), /^[0-9a-f-]{36} 127\.0\.0\.1 read \/audit$/);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    assert.match(server.output(), /worker 1 started[\s\S]*worker 1 stopping/);
  });

  test("processes: a module process beats on the bus to every worker, a command process logs, both stop with the server", async () => {
    const cwd = join(EXAMPLES, "processes");
    const server = await startLsky(target, ["--host", "127.0.0.1"], { cwd });
    let pids: number[] = [];
    try {
      const answers = new Map<number, { beats: number; last: { count: number } | null }>();
      await waitFor("2 beats heard by both workers", async () => {
        const answer = await (await fetch(server.url, { headers: { connection: "close" } })).json() as { worker: number; beats: number; last: { count: number } | null };
        answers.set(answer.worker, answer);
        return answers.size === 2 && [...answers.values()].every((a) => a.beats >= 2 && a.last !== null);
      }, 30_000);
      await server.waitForOutput(/\[heartbeat\] started \(instance 1\)/);
      await server.waitForOutput(/\[clock\] \d\d:\d\d:\d\d/);
      const status = await runLsky(target, ["status", "--json", "--port", String(server.port)]);
      const pools = (JSON.parse(status.stdout) as { pools: { name: string; workers: { pid: number; state: string }[] }[] }).pools;
      assert.deepEqual(pools.map((p) => [p.name, p.workers.map((w) => w.state)]), [["process:heartbeat", ["ready"]], ["process:clock", ["ready"]]]);
      pids = pools.flatMap((p) => p.workers.map((w) => w.pid));
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
    assert.match(server.output(), /\[heartbeat\] stopping after \d+ beats/);
    for (const pid of pids) await waitFor(`process ${pid} gone`, () => processGone(pid), 10_000);
  });

  test("schedule: a job every second runs once in the pool, and every worker hears each beat", async () => {
    const server = await startLsky(target, [join(EXAMPLES, "schedule", "app.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    try {
      const answers = new Map<number, { beats: number; last: { worker: number } | null }>();
      await waitFor("3 beats seen by both workers", async () => {
        const answer = await (await fetch(server.url, { headers: { connection: "close" } })).json() as { worker: number; beats: number; last: { worker: number } | null };
        answers.set(answer.worker, answer);
        return answers.size === 2 && [...answers.values()].every((a) => a.beats >= 3);
      }, 30_000);
      for (const answer of answers.values()) assert.ok([1, 2].includes(answer.last!.worker));
      const status = await runLsky(target, ["status", "--json", "--port", String(server.port)]);
      const beat = (JSON.parse(status.stdout) as { schedule: { name: string; runs: number; failures: number }[] }).schedule.find((j) => j.name === "beat")!;
      // Two workers, but one run per tick: the runs match the beats one worker heard, give or take the one going on.
      const most = Math.max(...[...answers.values()].map((a) => a.beats));
      assert.ok(beat.runs >= most && beat.runs <= most + 3, `beat ran ${beat.runs} times; a worker heard ${most} beats`);
      assert.equal(beat.failures, 0);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });
});
