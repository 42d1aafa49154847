import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isIgnored, watchDirectory } from "./watch.ts";

test("changes under node_modules, .git and dist never reload", () => {
  assert.equal(isIgnored("node_modules/hono/index.js"), true);
  assert.equal(isIgnored(".git/index"), true);
  assert.equal(isIgnored("packages/web/dist/app.js"), true);
  assert.equal(isIgnored("src/routes.ts"), false);
  assert.equal(isIgnored("distance.ts"), false);
});

for (const polling of [false, true]) {
  test(`${polling ? "polling" : "fs.watch"}: one debounced call for a burst, ignored folders skipped`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-watch-unit-"));
    mkdirSync(join(dir, "node_modules"));
    mkdirSync(join(dir, "src"));
    const seen: string[] = [];
    const watcher = watchDirectory(dir, (path) => seen.push(path), { polling });
    try {
      assert.equal(watcher.mode, polling ? "polling" : "events");
      // fs.watch may need a moment to arm; polling needs its first snapshot.
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(join(dir, "node_modules", "x.js"), "1");
      writeFileSync(join(dir, "src", "a.ts"), "1");
      writeFileSync(join(dir, "src", "b.ts"), "1");
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 700)); // a second call would come within a poll and a debounce
      assert.equal(seen.length, 1, `calls: ${seen.join(", ")}`);
      assert.match(seen[0]!, /^src[\\/][ab]\.ts$/);
    } finally {
      watcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
