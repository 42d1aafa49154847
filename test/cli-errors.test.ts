// What the CLI says and which exit code it gives for bad apps, bad flags and a
// busy port; plus --help, --version and the PORT/LSKY_PORT environment.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, type RunResult, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture, ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const ONE_WORKER = ["--workers", "1", "--host", "127.0.0.1"];

/** The lines lsky wrote to stderr, without the blank ones. */
function errorLines(result: RunResult): string[] {
  return result.stderr.split("\n").filter((line) => line.trim() !== "");
}

/** A usage error: exit 2, one error line and one hint line, nothing on stdout. */
function assertUsageError(result: RunResult, message: RegExp, hint: RegExp): void {
  assert.equal(result.code, 2, `exit code; output:\n${result.stdout}${result.stderr}`);
  const lines = errorLines(result);
  assert.equal(lines.length, 2, `one line and a hint, got:\n${result.stderr}`);
  assert.match(lines[0]!, message);
  assert.match(lines[1]!, hint);
  assert.equal(result.stdout, "");
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

describeTargets("CLI errors and options", (target) => {
  test("an app without fetch: one line naming the file, exit 2", async () => {
    const result = await runLsky(target, ["serve", fixture("no-fetch.ts"), "--port", "0", ...ONE_WORKER]);
    assert.equal(result.code, 2, result.stderr);
    const lines = errorLines(result);
    assert.match(lines[0]!, /Cannot serve ".*no-fetch\.ts": its default export has no fetch\(request\) method/);
    assert.ok(lines.length <= 2, `at most a line and a hint, got:\n${result.stderr}`);
  });

  test("an app that throws on import: the error and its stack, exit 1", async () => {
    const result = await runLsky(target, ["serve", fixture("throws-on-import.ts"), "--port", "0", ...ONE_WORKER]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Cannot serve ".*throws-on-import\.ts": the module threw while loading/);
    assert.match(result.stderr, /Error: database unreachable \(fixture\)\n(\S+ )?\s+at connectToDatabase \(/);
    // The stack points at the user's file, not at a transpiled copy.
    assert.match(result.stderr, /at connectToDatabase \(.*throws-on-import\.ts:\d+:\d+\)/);
  });

  test("an app with a syntax error: the error with its file, line and column, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-test-syntax-"));
    try {
      const app = join(dir, "broken.ts");
      writeFileSync(app, 'export default {\n  fetch(: Request) { return new Response("x"); },\n};\n');
      const result = await runLsky(target, ["serve", app, "--port", "0", ...ONE_WORKER]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /Cannot serve ".*broken\.ts": the module threw while loading/);
      assert.match(result.stderr, /broken\.ts:2:\d+/, `the place of the error in:\n${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a missing app file: one line and a hint, exit 2", async () => {
    const result = await runLsky(target, ["serve", "no/such/app.ts", "--port", "0"]);
    assertUsageError(result, /Cannot serve "no\/such\/app\.ts": no such file/, /path of a module/);
  });

  test("a directory as the app: one line and a hint, exit 2", async () => {
    const result = await runLsky(target, ["serve", "test/fixtures", "--port", "0"]);
    assertUsageError(result, /Cannot serve "test\/fixtures": it is a directory, not a module/, /path of a module/);
  });

  test("a port in use: a line naming the port, exit 1", async () => {
    const port = await freePort();
    const blocker = await listenOn(port);
    try {
      const result = await runLsky(target, ["serve", fixture("hello.js"), "--port", String(port), ...ONE_WORKER]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(errorLines(result)[0]!, new RegExp(`Cannot listen on port ${port}: it is already in use`));
      assert.doesNotMatch(result.stdout, /serving/);
    } finally {
      blocker.close();
    }
  });

  test("a port held by another lsky (whose workers use SO_REUSEPORT) is in use too, exit 1", async () => {
    const first = await startLsky(target, [fixture("hello.js"), ...ONE_WORKER]);
    try {
      const result = await runLsky(target, ["serve", fixture("hello.js"), "--port", String(first.port), ...ONE_WORKER]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`Cannot listen on port ${first.port}: it is already in use`));
      assert.equal((await fetch(`${first.url}/still`)).status, 200, "the first server is unharmed");
    } finally {
      assert.equal((await first.stop()).code, 0);
    }
  });

  for (const [args, message] of [
    [["--bogus"], /Unknown option "--bogus"/],
    [["--port", "abc"], /Invalid value "abc" for --port: expected a whole number from 0 to 65535/],
    [["--port", "70000"], /Invalid value "70000" for --port: expected a whole number from 0 to 65535/],
    [["--port"], /Option "--port" needs a value/],
    [["--runtime", "python"], /Invalid value "python" for --runtime: expected one of "bun", "deno", "node"/],
    [["--workers", "0"], /Invalid value "0" for --workers: expected a whole number from 1 to 1024/],
    [["--grace-period", "soon"], /Invalid value "soon" for --grace-period: expected a duration/],
    [["a.ts", "b.ts"], /Expected one app entry, got 2: a\.ts b\.ts/],
  ] as const) {
    test(`serve ${args.join(" ")}: one line and a hint, exit 2`, async () => {
      const result = await runLsky(target, ["serve", ...args]);
      assertUsageError(result, message, /lsky serve --help/);
    });
  }

  test("an unknown command: one line and a hint, exit 2", async () => {
    assertUsageError(await runLsky(target, ["serv"]), /Unknown command "serv"/, /lsky --help/);
  });

  test("--version prints the version, exit 0", async () => {
    const result = await runLsky(target, ["--version"]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `lsky ${VERSION}\n`);
    assert.equal(result.stderr, "");
  });

  test("a worker or process role started by hand: one line saying the supervisor starts it, exit 2", async () => {
    // In dist/lsky these go through the worker program compiled beside the commands.
    for (const role of ["__worker", "__process"]) {
      const result = await runLsky(target, [role]);
      assert.equal(result.code, 2, `${role}: ${result.stdout}${result.stderr}`);
      assert.deepEqual(errorLines(result), [`lsky: the ${role} role is started by the supervisor, not by hand`]);
      assert.equal(result.stdout, "");
    }
  });

  test("--help lists the commands, serve --help the options and their env vars, exit 0", async () => {
    const main = await runLsky(target, ["--help"]);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /lsky serve \[app\.ts\]/);
    assert.match(main.stdout, /lsky compile/);
    const serve = await runLsky(target, ["serve", "--help"]);
    assert.equal(serve.code, 0);
    assert.match(serve.stdout, /-p, --port N +Port to listen on.*\n +default: 8000; env: LSKY_PORT, PORT/);
    assert.match(serve.stdout, /--runtime ENGINE/);
    assert.match(serve.stdout, /--workers N/);
    assert.equal(serve.stderr, "");
  });

  test("PORT chooses the port when no flag is given; the default host is every address, shown as localhost", async () => {
    const port = await freePort();
    const server = await startLsky(target, [fixture("hello.js"), "--workers", "1"], { port: false, env: { PORT: String(port), LSKY_PORT: undefined, LSKY_HOST: undefined } });
    try {
      assert.match(server.stdout(), new RegExp(`at http://localhost:${port} \\[all IPv4 addresses\\] `));
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/p`)).text(), "hello from js /p");
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("LSKY_PORT wins over PORT", async () => {
    const port = await freePort();
    const server = await startLsky(target, [fixture("hello.js"), ...ONE_WORKER], { port: false, env: { PORT: "1", LSKY_PORT: String(port) } });
    try {
      assert.match(server.stdout(), new RegExp(`at http://127\\.0\\.0\\.1:${port} `));
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });
});
