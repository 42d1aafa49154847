import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture, ROOT, selectedTargets } from "./harness/targets.ts";

after(killAll);

// The engines' executables: node is this one; bun and deno come from npm.
const ENGINE_PATH = [join(ROOT, "node_modules", ".bin"), dirname(process.execPath), "/usr/bin", "/bin"].join(":");
const launchers = selectedTargets().filter((t) => t.name === "binary" || t.name === "node");

for (const launcher of launchers) {
  describe(`--runtime from ${launcher.name}`, () => {
    for (const engine of ["bun", "deno", "node"] as const) {
      test(`--runtime ${engine} serves a TypeScript app on ${engine}`, async () => {
        const server = await startLsky(launcher, [fixture("echo.ts"), "--workers", "1", "--runtime", engine], {
          env: { PATH: ENGINE_PATH },
        });
        assert.match(server.stdout(), new RegExp(` on ${engine} \\d+\\.\\d+`));
        const echo = await (await fetch(`${server.url}/engine`)).json();
        assert.equal(echo.path, "/engine");
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      });
    }

    test("LSKY_RUNTIME chooses the engine like --runtime", async () => {
      const server = await startLsky(launcher, [fixture("echo.ts"), "--workers", "1"], {
        env: { PATH: ENGINE_PATH, LSKY_RUNTIME: "deno" },
      });
      assert.match(server.stdout(), / on deno \d/);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });

    test("an engine that is not installed fails with what to install (exit 1)", async () => {
      const missing = launcher.name === "binary" ? "deno" : "bun";
      // No node_modules/.bin on PATH; the bundle still finds lsky's own
      // node_modules, so point the override at nothing.
      const result = await runLsky(launcher, ["serve", fixture("echo.ts"), "--runtime", missing], {
        env: { PATH: "/usr/bin:/bin", [`LSKY_${missing.toUpperCase()}_BIN`]: "/nonexistent/engine" },
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Cannot run on ${missing}: LSKY_${missing.toUpperCase()}_BIN is "/nonexistent/engine"`));
      assert.match(result.stderr, new RegExp(`Install it with "npm install -g ${missing}"`));
    });

    test("an unknown engine is a usage error (exit 2)", async () => {
      const result = await runLsky(launcher, ["serve", "--runtime", "rhino"]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Invalid value "rhino" for --runtime: expected one of "bun", "deno", "node"/);
    });
  });
}
