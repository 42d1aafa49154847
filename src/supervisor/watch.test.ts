import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createWatchFilter } from "./watch-filter.ts";
import { watchDirectory } from "./watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-watch-unit-"));
  for (const sub of ["node_modules/pkg/lib", "node_modules/other", ".git/objects", "src", "uploads"]) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, ".gitignore"), "generated/\n");
  mkdirSync(join(dir, "generated"));
  return dir;
}

for (const polling of [false, true]) {
  const mode = polling ? "polling" : "events";
  test(`${mode}: one call for a burst of source writes; data, logs and ignored folders never call`, async () => {
    const dir = project();
    const seen: string[] = [];
    const errors: string[] = [];
    const filter = createWatchFilter({ ignore: [], gitignore: "generated/\n" });
    const watcher = watchDirectory(dir, (path) => seen.push(path), { filter, polling, onError: (m) => errors.push(m) });
    try {
      assert.equal(watcher.mode, mode);
      // Root, src and uploads: node_modules, .git and generated are never entered.
      assert.equal(watcher.directories(), 3);
      await sleep(polling ? 100 : 50); // polling needs its first snapshot
      for (let i = 0; i < 5; i++) writeFileSync(join(dir, "out.log"), `line ${i}\n`);
      writeFileSync(join(dir, "app.sqlite"), "x");
      writeFileSync(join(dir, "uploads", "photo.png"), "x");
      writeFileSync(join(dir, "node_modules", "pkg", "lib", "x.js"), "1");
      writeFileSync(join(dir, "generated", "x.ts"), "1");
      await sleep(polling ? 1200 : 300);
      assert.deepEqual(seen, [], "nothing that cannot change the app calls");
      writeFileSync(join(dir, "src", "a.ts"), "1");
      writeFileSync(join(dir, "src", "b.ts"), "1");
      await until(() => seen.length > 0);
      await sleep(polling ? 1200 : 300); // a second call would come within a poll and a debounce
      assert.equal(seen.length, 1, `calls: ${seen.join(", ")}`);
      assert.match(seen[0]!, /^src\/[ab]\.ts$/);
      assert.deepEqual(errors, []);
    } finally {
      watcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("events: a directory created later is watched, and the file written into it counts", async () => {
  const dir = project();
  const seen: string[] = [];
  const watcher = watchDirectory(dir, (path) => seen.push(path), { filter: createWatchFilter({ ignore: [] }), onError: () => {} });
  try {
    mkdirSync(join(dir, "src", "routes"));
    writeFileSync(join(dir, "src", "routes", "users.ts"), "1");
    await until(() => seen.length > 0);
    assert.deepEqual(seen, ["src/routes/users.ts"]);
    seen.length = 0;
    writeFileSync(join(dir, "src", "routes", "users.ts"), "2");
    await until(() => seen.length > 0);
    assert.deepEqual(seen, ["src/routes/users.ts"]);
  } finally {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the inotify limit (ENOSPC) is reported in one line and polling takes over", () => {
  const errors: string[] = [];
  const refuse = (() => {
    throw Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" });
  }) as unknown as typeof import("node:fs").watch;
  const dir = project();
  const watcher = watchDirectory(dir, () => {}, { filter: createWatchFilter({ ignore: [] }), onError: (m) => errors.push(m), watchFn: refuse });
  try {
    assert.equal(watcher.mode, "polling");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /inotify watch limit is reached \(ENOSPC\); polling every 500 ms instead\. Fix: sysctl -w fs\.inotify\.max_user_watches=/);
  } finally {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
