import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(killAll);

function appSource(text: string): string {
  return `export default { fetch: () => new Response(${JSON.stringify(text)}) };\n`;
}

async function body(url: string): Promise<string> {
  const response = await fetch(url);
  return response.status === 200 ? await response.text() : `status ${response.status}`;
}

for (const target of selectedTargets()) {
  describe(`--watch on ${target.name}`, () => {
    test("reloads on a change in the app's directory, debounced, ignoring node_modules, .git and dist", async () => {
      const dir = mkdtempSync(join(tmpdir(), "lsky-watch-"));
      try {
        for (const ignored of ["node_modules", ".git", "dist"]) mkdirSync(join(dir, ignored));
        mkdirSync(join(dir, "lib"));
        writeFileSync(join(dir, "app.ts"), appSource("one"));
        const server = await startLsky(target, [join(dir, "app.ts"), "--watch", "--workers", "1", "--host", "127.0.0.1"]);
        await server.waitForOutput(/watching .* for changes \((events|polling)/);
        assert.equal(await body(server.url), "one");

        // Changes in ignored folders first, then a burst of real changes: one reload.
        for (const ignored of ["node_modules", ".git", "dist"]) writeFileSync(join(dir, ignored, "x.ts"), "export {};\n");
        writeFileSync(join(dir, "lib", "helper.ts"), "export const x = 1;\n");
        writeFileSync(join(dir, "app.ts"), appSource("two"));
        await waitFor("the new code to answer", async () => (await body(server.url)) === "two");
        await server.waitForOutput(/reload finished in \d+ ms/);
        const changes = server.output().match(/\S+ changed: reloading/g) ?? [];
        assert.equal(changes.length, 1, server.output());
        assert.doesNotMatch(changes[0]!, /node_modules|\.git|dist/);
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
