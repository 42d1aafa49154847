import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { statusJson } from "./harness/supervision.ts";
import { selectedTargets } from "./harness/targets.ts";

after(killAll);

async function body(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return (await response.text()).trim();
}

for (const target of selectedTargets()) {
  describe(`reload into a broken release on ${target.name}`, () => {
    test("lsky reload exits 1 with the new workers' error, and the old workers keep serving", async () => {
      const dir = mkdtempSync(join(tmpdir(), "lsky-reload-broken-"));
      const app = join(dir, "app.ts");
      writeFileSync(app, `export default { fetch: () => new Response("release a") };\n`);
      const server = await startLsky(target, [app, "--workers", "2", "--host", "127.0.0.1"]);
      try {
        const before = (await statusJson(target, server.port)).workers.map((w) => w.pid).sort();
        writeFileSync(app, `throw new Error("broken release");\n`);
        const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
        assert.equal(reload.code, 1, reload.stdout + reload.stderr);
        // What failed, and as the hint what the new release's app threw.
        assert.match(reload.stderr, /could not reload: Cannot serve ".*app\.ts": the module threw while loading\n.*broken release/);
        assert.equal(await body(server.url), "release a");
        const status = await statusJson(target, server.port);
        const ready = status.workers.filter((w) => w.state === "ready").map((w) => w.pid).sort();
        assert.deepEqual(ready, before, "the same old workers serve");

        writeFileSync(app, `export default { fetch: () => new Response("release b") };\n`);
        assert.equal((await runLsky(target, ["reload", "--port", String(server.port)])).code, 0);
        assert.equal(await body(server.url), "release b");
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
