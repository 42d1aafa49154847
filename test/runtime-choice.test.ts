// --runtime and LSKY_RUNTIME choose the engine that runs the app, whatever
// lsky itself was started with; an engine that cannot be started is one line.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { selectedTargets, type Target } from "./harness/targets.ts";

after(killAll);

// Each target hands off to an engine other than its own.
const OTHER: Record<Target["name"], Target["engine"]> = { node: "bun", bun: "deno", deno: "node", binary: "node" };

for (const target of selectedTargets()) {
  describe(`engine choice on ${target.name}`, () => {
    const cwd = mkdtempSync(join(tmpdir(), "lsky-test-runtime-"));
    after(() => rmSync(cwd, { recursive: true, force: true }));
    const other = OTHER[target.name];

    for (const how of ["flag", "env"] as const) {
      test(`${how === "flag" ? "--runtime " : "LSKY_RUNTIME="}${other} serves on ${other}`, async () => {
        const args = ["--workers", "1", "--host", "127.0.0.1", ...(how === "flag" ? ["--runtime", other] : [])];
        const server = await startLsky(target, args, { cwd, env: how === "env" ? { LSKY_RUNTIME: other } : {} });
        try {
          assert.match(server.stdout(), new RegExp(` on ${other} \\d`));
          const health = await (await fetch(`${server.url}/healthz`)).json() as { engine: string };
          assert.equal(health.engine, other);
        } finally {
          assert.deepEqual(await server.stop(), { code: 0, signal: null });
        }
      });
    }

    test(`an engine that cannot be started fails with one line naming it, exit 1`, async () => {
      const variable = `LSKY_${other.toUpperCase()}_BIN`;
      const result = await runLsky(target, ["serve", "--runtime", other, "--port", "0"], { cwd, env: { [variable]: "/nonexistent/engine" } });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`Cannot start ${other} \\(/nonexistent/engine\\)`));
    });
  });
}
