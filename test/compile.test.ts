import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";

after(killAll);

const work = mkdtempSync(join(tmpdir(), "lsky-compile-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

// lsky compile needs Bun (it runs bun build --compile); from the binary it
// uses the Bun inside itself, from the bundle the bun package's executable.
const compilers = selectedTargets().filter((t) => t.name === "binary" || t.name === "node");

for (const compiler of compilers) {
  describe(`lsky compile from ${compiler.name}`, () => {
    const outfile = join(work, `echo-${compiler.name}`);

    test("builds one executable and prints a line per step", async () => {
      const result = await runLsky(compiler, ["compile", fixture("echo.ts"), "-o", outfile]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^\[1\/3\] Preparing the entry for .*echo\.ts$/m);
      assert.match(result.stdout, /^\[2\/3\] Compiling with /m);
      assert.match(result.stdout, new RegExp(`^\\[3/3\\] Wrote ${outfile.replace(/[/.]/g, "\\$&")} \\(\\d+\\.\\d MB\\)$`, "m"));
      assert.ok(statSync(outfile).mode & 0o100, "the output is executable");
    });

    test("the executable serves the app with the serve flags, and stops on SIGTERM", async () => {
      const app: Target = { name: "binary", engine: "bun", command: outfile, args: [] };
      // A compiled app takes serve's flags directly; startLsky adds "serve", which it accepts too.
      const server = await startLsky(app, ["--workers", "2", "--host", "127.0.0.1"]);
      assert.match(server.stdout(), /serving echo\.ts \(compiled in\) at http:\/\/127\.0\.0\.1:\d+ on bun .* with 2 workers/);
      const response = await fetch(`${server.url}/from/binary?q=1`);
      assert.equal(response.status, 200);
      const echo = await response.json();
      assert.equal(echo.path, "/from/binary");
      assert.deepEqual(echo.query, { q: "1" });
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });

    test("a missing app is a usage error (exit 2)", async () => {
      const result = await runLsky(compiler, ["compile", join(work, "nope.ts"), "-o", join(work, "nope")]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Cannot compile ".*nope\.ts": no such file/);
    });

    test("an app that does not build fails with bun's message (exit 1)", async () => {
      const result = await runLsky(compiler, ["compile", fixture("syntax-error.ts"), "-o", join(work, "broken")]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Cannot compile: bun build failed/);
      assert.match(result.stderr, /syntax-error\.ts/);
    });
  });
}
