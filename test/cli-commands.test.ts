// The CLI as a person meets it: help in groups with defaults, short flags,
// suggestions for typos, one start line, `lsky status` that lists every
// server when none was started here, --pid, and a `stop` that waits.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processExited } from "./harness/wait.ts";

after(killAll);

const scratch = mkdtempSync(join(tmpdir(), "lsky-cli-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
// A runtime directory of its own: the servers other tests run stay out of the list.
const env = { LSKY_RUNTIME_DIR: join(scratch, "run") };

describeTargets("the CLI", (target) => {
  test("lsky help serve is serve --help: grouped, each option with its default", async () => {
    const help = await runLsky(target, ["help", "serve"]);
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stdout, (await runLsky(target, ["serve", "--help"])).stdout);
    for (const heading of ["Listening:", "Workers and engine:", "Request limits:", "TLS and proxies:", "Observability:"]) {
      assert.match(help.stdout, new RegExp(`^${heading}$`, "m"));
    }
    assert.match(help.stdout, /-w, --workers N +.*\n +default: one per available CPU; env: LSKY_WORKERS/);
    assert.match(help.stdout, /--max-body-size SIZE +.*\n +default: 8MiB|--max-body-size SIZE +.*\n +default: \d+/);
    assert.match(help.stdout, /--grace-period DURATION +.*\n +default: 30s;/);
    assert.equal((await runLsky(target, ["help", "stop"])).stdout.includes("--no-wait"), true);
  });

  test("a mistyped command or option gets a suggestion (exit 2)", async () => {
    const command = await runLsky(target, ["serv"]);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /Unknown command "serv": did you mean "serve"\?/);
    const option = await runLsky(target, ["serve", "--worker", "2"]);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option "--worker": did you mean "--workers"\?/);
  });

  test("-p and -w; one start line with a URL to click, warnings in one line naming lsky doctor", async () => {
    const port = await freePort();
    const cwd = mkdtempSync(join(scratch, "app-"));
    const server = await startLsky(target, [fixture("hello.js"), "-w", "1", "-p", String(port)], { port: false, cwd, env: { ...env, LSKY_HOST: undefined } });
    try {
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/x`)).text(), "hello from js /x");
      assert.match(server.stdout(), new RegExp(`^\\[lsky\\] lsky \\S+ serving \\S*hello\\.js at http://localhost:${port} \\[all IPv4 addresses\\] on ${target.engine} \\S+ with 1 worker \\(supervisor pid ${server.pid}\\)\\n$`));
      const warnings = server.stderr().split("\n").filter(Boolean);
      assert.ok(warnings.length <= 1, `at most one warning line: ${server.stderr()}`);
      for (const line of warnings) assert.match(line, /^\[lsky\] warning: .{10,160} \(run "lsky doctor" for the details and fixes\)$/);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("status lists every server when none was started here; status, reload, stop take --pid; stop waits", async () => {
    const cwdA = mkdtempSync(join(scratch, "a-"));
    const cwdB = mkdtempSync(join(scratch, "b-"));
    const a = await startLsky(target, [fixture("hello.js"), "--workers", "1", "--host", "127.0.0.1"], { cwd: cwdA, env });
    const b = await startLsky(target, ["--workers", "2", "--host", "127.0.0.1"], { cwd: cwdB, env });
    try {
      const list = await runLsky(target, ["status"], { cwd: scratch, env });
      assert.equal(list.code, 0, list.stderr);
      const lines = list.stdout.split("\n");
      assert.match(lines[0]!, /^PID +PORT +DIRECTORY +APP +ENGINE +WORKERS +UPTIME +VERSION$/);
      assert.match(list.stdout, new RegExp(`^${a.pid} +${a.port} +${cwdA} +\\S*hello\\.js +${target.engine} \\S+ +1 +\\d+s `, "m"));
      assert.match(list.stdout, new RegExp(`^${b.pid} +${b.port} +${cwdB} +\\(built-in app\\) +${target.engine} \\S+ +2 +\\d+s `, "m"));
      const json = JSON.parse((await runLsky(target, ["status", "--json"], { cwd: scratch, env })).stdout) as { pid: number }[];
      assert.deepEqual(json.map((s) => s.pid).sort(), [a.pid, b.pid].sort());

      const one = await runLsky(target, ["status", "--pid", String(a.pid)], { cwd: scratch, env });
      assert.match(one.stdout, new RegExp(`^supervisor pid ${a.pid} `));
      const reload = await runLsky(target, ["reload", "--pid", String(b.pid)], { cwd: scratch, env });
      assert.match(reload.stdout, /^Reloaded 2 workers in \d+ ms\n$/);
      const missing = await runLsky(target, ["stop", "--pid", "1"], { cwd: scratch, env });
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /No lsky server of yours has supervisor pid 1/);

      const stop = await runLsky(target, ["stop", "--pid", String(a.pid)], { cwd: scratch, env });
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, new RegExp(`^Stopped lsky \\(pid ${a.pid}\\) in \\d+ ms\\n$`));
      // This process is its parent and may not have reaped it yet: a zombie has exited too.
      assert.ok(a.child.exitCode !== null || processExited(a.pid), "the server was still running when lsky stop returned");

      const noWait = await runLsky(target, ["stop", "--no-wait"], { cwd: cwdB, env });
      assert.equal(noWait.code, 0, noWait.stderr);
      assert.equal(noWait.stdout, `Stopping lsky (pid ${b.pid}): the workers are draining\n`);
      assert.deepEqual(await b.exited, { code: 0, signal: null });
    } finally {
      await Promise.all([a, b].map((s) => s.child.exitCode === null ? s.stop() : undefined));
    }
  });
});
