import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture, ROOT, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

const folders: string[] = [];
after(() => {
  killAll();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** An app folder as a user has it: lsky in node_modules (a copy that is not the server's own code). */
function appFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-hooks-"));
  folders.push(dir);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "lsky"));
  copyFileSync(fixture("hooks.ts"), join(dir, "app.ts"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "hooks", type: "module", dependencies: { lsky: "*" } }));
  return dir;
}

const HOOK_LINE = /hooks-fixture: (start|stop) worker=(\d+) pid=(\d+)(.*)/g;

/** The hook lines in the output, in order: "start 1 1234", "stop 1 1234". */
function hookEvents(output: string): { hook: string; worker: number; pid: number; rest: string }[] {
  return [...output.matchAll(HOOK_LINE)].map((m) => ({ hook: m[1]!, worker: Number(m[2]), pid: Number(m[3]), rest: m[4]! }));
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

for (const target of selectedTargets()) {
  describe(`lifecycle hooks and requestContext on ${target.name}`, () => {
    test("onWorkerStart before any request, a new start before each old stop on reload, onWorkerStop on stop", async () => {
      const dir = appFolder();
      const server = await startLsky(target, ["app.ts", "--workers", "2", "--host", "127.0.0.1", "--request-context"], { cwd: dir });
      try {
        // Worker output is relayed through pipes, the ready message through the bus: wait for both lines.
        await waitFor("both start hooks' lines", () => hookEvents(server.output()).length >= 2);
        const first = hookEvents(server.output());
        assert.deepEqual(first.map((e) => e.hook), ["start", "start"], server.output());
        assert.deepEqual(first.map((e) => e.worker).sort(), [1, 2]);
        for (const e of first) assert.match(e.rest, /kind=http bus=true/);
        // Every worker that answers finished its start hook first.
        for (let i = 0; i < 20; i++) assert.equal((await get(`${server.url}/outside`)).status, 200);

        const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
        assert.equal(reload.code, 0, reload.stdout + reload.stderr);
        await waitFor("the old workers' stop hooks", () => hookEvents(server.output()).filter((e) => e.hook === "stop").length === 2);
        const events = hookEvents(server.output());
        const index = (hook: string, pid: number) => events.findIndex((e) => e.hook === hook && e.pid === pid);
        const fresh = events.filter((e) => e.hook === "start" && !first.some((f) => f.pid === e.pid));
        assert.equal(fresh.length, 2, server.output());
        for (const old of first) {
          const replacement = fresh.find((e) => e.worker === old.worker)!;
          assert.ok(index("start", replacement.pid) < index("stop", old.pid), `worker ${old.worker}: the replacement starts before the old one stops\n${server.output()}`);
        }

        assert.deepEqual(await server.stop(), { code: 0, signal: null });
        const all = hookEvents(server.output());
        for (const e of fresh) {
          const stops = all.filter((s) => s.hook === "stop" && s.pid === e.pid);
          assert.equal(stops.length, 1, `worker pid ${e.pid} ran onWorkerStop once\n${server.output()}`);
          assert.match(stops[0]!.rest, /aborted=false/);
        }
        assert.ok(server.output().lastIndexOf("hooks-fixture: stop") < server.output().lastIndexOf("stopped"), server.output());
      } finally {
        server.child.kill("SIGKILL");
      }
    });

    test("a throwing onWorkerStart boots nothing: exit 1, the app's error shown once, no restarts", async () => {
      const dir = appFolder();
      const port = await freePort();
      const result = await runLsky(target, ["serve", "app.ts", "--workers", "2", "--host", "127.0.0.1", "--port", String(port)], {
        cwd: dir, env: { HOOKS_FAIL: "start" },
      });
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 1, output);
      assert.equal(count(output, /cache warm-up failed \(fixture\)/), 1, output);
      assert.match(output, /onWorkerStart threw/);
      assert.doesNotMatch(output, /restarting in/);
      assert.doesNotMatch(output, /serving .* at http/);
      assert.doesNotMatch(output, /hooks-fixture: stop/, "no stop hook for a worker that never started");
    });

    test("onWorkerStop is cut off at the grace period", async () => {
      const dir = appFolder();
      const server = await startLsky(target, ["app.ts", "--workers", "1", "--host", "127.0.0.1", "--grace-period", "1s"], {
        cwd: dir, env: { HOOKS_STOP_MS: "120000" },
      });
      try {
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
        assert.match(server.output(), /onWorkerStop of worker 1 was still running when the grace period ended/);
        assert.doesNotMatch(server.output(), /hooks-fixture: stop/);
      } finally {
        server.child.kill("SIGKILL");
      }
    });

    test("requestContext() from a helper sees its own request among concurrent ones; undefined outside a request", async () => {
      const dir = appFolder();
      const server = await startLsky(target, ["app.ts", "--workers", "2", "--host", "127.0.0.1", "--request-context"], { cwd: dir });
      try {
        const users = Array.from({ length: 24 }, (_, i) => `user${i}`);
        // Different waits, so that requests set, await and read in interleaved order.
        const answers = await Promise.all(users.map((user, i) => get(`${server.url}/?user=${user}&wait=${(i * 7) % 5}`)));
        const ids = new Set<string>();
        answers.forEach((answer, i) => {
          assert.equal(answer.status, 200, answer.text);
          const match = /^(\S+) from 127\.0\.0\.1 id=([0-9a-f-]{36})$/.exec(answer.text);
          assert.ok(match, answer.text);
          assert.equal(match[1], users[i]);
          ids.add(match[2]!);
        });
        assert.equal(ids.size, users.length, "every request has its own id");
        assert.deepEqual(await get(`${server.url}/outside`), { status: 200, text: "undefined" });
      } finally {
        await server.stop();
      }
    });

    test("without --request-context, requestContext() throws REQUEST_CONTEXT_OFF", async () => {
      const dir = appFolder();
      const server = await startLsky(target, ["app.ts", "--workers", "1", "--host", "127.0.0.1"], { cwd: dir });
      try {
        assert.equal((await get(`${server.url}/?user=a`)).status, 500);
        await server.waitForOutput(/requestContext\(\) is off in this server: it is opt-in/);
      } finally {
        await server.stop();
      }
    });

    test("--leak-check warns with the slope of a leaking app, and /metrics shows it", async () => {
      const adminPort = await freePort();
      const server = await startLsky(target, [
        fixture("leaky.ts"), "--workers", "1", "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`,
        "--leak-check", "--leak-check-every", "50", "--leak-check-warmup", "50",
      ]);
      try {
        let warning: RegExpMatchArray | null = null;
        // The warning needs the warm-up and 8 samples, each at least 50 requests and one 250 ms
        // tick after the last: at least 2 s, which a fast engine fills with far more than 450
        // requests. Bounded by count (about 20 s at the slowest engine's pace here).
        for (let i = 0; i < 60_000 && !warning; i++) {
          assert.equal((await get(`${server.url}/`)).status, 200);
          warning = server.output().match(/the heap keeps growing after GC, by (\d+) bytes\/request/);
        }
        assert.ok(warning, server.output());
        // Each request keeps 2,500 small integers (20 KB on V8, 20-40 KB on JSC).
        assert.ok(Number(warning[1]) > 10_000, warning[0]);
        const metrics = await waitFor("the slope on /metrics", async () => {
          const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
          return /lsky_worker_heap_growth_bytes_per_request\{worker="1"\} (\d+)/.exec(text) ?? undefined;
        });
        assert.ok(Number(metrics[1]) > 10_000, metrics[0]);
      } finally {
        await server.stop();
      }
    });
  });
}
