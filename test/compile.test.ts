// `lsky compile app.ts -o myapp` makes one executable holding lsky and the
// app; `./myapp` serves the app with the same flags as `lsky serve`, from a
// directory with no node_modules and no source.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("lsky compile", (target) => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-test-compile-"));
  const outfile = join(dir, "myapp");
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("builds one executable, with a progress line per step", async () => {
    const result = await runLsky(target, ["compile", fixture("hono-app.ts"), "-o", outfile], { cwd: dir }, 120_000);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\[1\/3\] .*\n\[2\/3\] .*\n\[3\/3\] Wrote .*myapp \(\d+(\.\d)? MB\)\n$/);
    assert.ok(existsSync(outfile) && (statSync(outfile).mode & 0o111) !== 0, "an executable file");
  });

  test("the executable serves the app with serve's flags", async () => {
    const app: Target = { name: "binary", engine: "bun", command: outfile, args: [] };
    const server = await startLsky(app, ["--workers", "1", "--host", "127.0.0.1"], { cwd: dir, command: [] });
    try {
      assert.equal(await (await fetch(`${server.url}/hi/ada`)).text(), "hello ada from hono");
      assert.deepEqual(await (await fetch(`${server.url}/client`)).json(), { client: "127.0.0.1" });
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });

  test("a missing entry: one line, exit 2", async () => {
    const result = await runLsky(target, ["compile", "no/such/app.ts", "-o", join(dir, "never")], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Cannot compile "no\/such\/app\.ts": no such file/);
    assert.equal(existsSync(join(dir, "never")), false);
  });
});

// From the binary (its own Bun) and from the bundle (the bun package's executable).
for (const target of selectedTargets().filter((t) => t.name === "binary" || t.name === "node")) {
  test(`lsky compile on ${target.name}: an app that does not build fails with bun's message (exit 1)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-test-compile-"));
    try {
      const result = await runLsky(target, ["compile", fixture("syntax-error.ts"), "-o", join(dir, "broken")], { cwd: dir }, 120_000);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Cannot compile: bun build failed/);
      assert.match(result.stderr, /syntax-error\.ts/);
      assert.equal(existsSync(join(dir, "broken")), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
