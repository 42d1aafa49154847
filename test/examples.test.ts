// Every example in examples/ serves what its README promises, on each engine
// and the binary.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { tempDir } from "./harness/temp-dir.ts";

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
    const cwd = tempDir("lsky-example-hooks-");
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
      const answers = new Map<number, { beats: number; last: { count: number } | null; counted: number }>();
      await waitFor("2 beats heard by both workers and counted in the table", async () => {
        const answer = await (await fetch(server.url, { headers: { connection: "close" } })).json() as { worker: number; beats: number; last: { count: number } | null; counted: number };
        answers.set(answer.worker, answer);
        return answers.size === 2 && [...answers.values()].every((a) => a.beats >= 2 && a.last !== null && a.counted >= 2);
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

  test("tasks: tasks.run answers with the task's result, tasks.dispatch queues a delayed task", async () => {
    const server = await startLsky(target, [join(EXAMPLES, "tasks", "app.ts"), "--workers", "1", "--task-workers", "2", "--host", "127.0.0.1"]);
    try {
      const fib = await (await fetch(`${server.url}/fib?n=20`)).json() as { n: number; value: number; worker: number };
      assert.equal(fib.value, 6765);
      assert.ok([1, 2].includes(fib.worker), `ran on task worker ${fib.worker}`);
      const welcome = await fetch(`${server.url}/welcome?to=ada@example.com`);
      assert.equal(welcome.status, 202);
      const { queued } = await welcome.json() as { queued: string };
      await server.waitForOutput(new RegExp(`\\[t\\d\\] welcome mail to ada@example\\.com \\(task ${queued}, attempt 1 of 3\\)`), 20_000);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });
});

describeTargets("examples: tables", (target) => {
  test("tables: hits counted across both workers, a too-long title refused, the report cached", async () => {
    const server = await startLsky(target, ["--workers", "2", "--host", "127.0.0.1"], { cwd: join(EXAMPLES, "tables") });
    try {
      const hit = async () => (await (await fetch(`${server.url}/hits/home`, { method: "POST", headers: { connection: "close" } })).json()) as { hits: number };
      const counts = await Promise.all(Array.from({ length: 20 }, hit));
      assert.deepEqual(counts.map((c) => c.hits).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await fetch(`${server.url}/pages/home`, { method: "PUT", body: "Home page" })).status, 204);
      const refused = await fetch(`${server.url}/pages/home`, { method: "PUT", body: "x".repeat(65) });
      assert.equal(refused.status, 400);
      assert.match((await refused.json() as { error: string }).error, /65 bytes, over the column's 64/);
      assert.deepEqual(await (await fetch(`${server.url}/pages`)).json(), [{ page: "home", hits: 20, title: "Home page" }]);
      const first = await (await fetch(`${server.url}/report`)).json() as { madeBy: number; cached: boolean };
      assert.equal(first.cached, false);
      const again = await (await fetch(`${server.url}/report`, { headers: { connection: "close" } })).json() as { madeBy: number; cached: boolean };
      assert.deepEqual(again, { pages: 1, madeBy: first.madeBy, cached: true });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });
});
