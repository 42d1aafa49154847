import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Logger } from "../log.ts";
import { startWatching } from "./dev-watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(10);
}

test("changes during a reload make exactly one more reload after it; the pid file never counts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-dev-watch-"));
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  const finishers: Array<() => void> = [];
  const reload = () => new Promise<void>((resolve) => finishers.push(resolve));
  writeFileSync(join(dir, "app.ts"), "1");
  const watcher = startWatching(join(dir, "app.ts"), { watchIgnore: [], pidFile: join(dir, "lsky.pid.json") }, log, reload)!;
  try {
    assert.match(lines[0]!, /watching .* for changes \(events, 1 directory;/);
    writeFileSync(join(dir, "app.ts"), "2");
    await until(() => finishers.length === 1);
    // While the first reload runs: several changes, in separate bursts.
    for (const n of [3, 4, 5]) {
      writeFileSync(join(dir, "app.ts"), String(n));
      writeFileSync(join(dir, "lsky.pid.json"), String(n));
      await sleep(100);
    }
    assert.equal(finishers.length, 1, "no second reload while one runs");
    finishers[0]!();
    await until(() => finishers.length === 2);
    finishers[1]!();
    await sleep(200);
    assert.equal(finishers.length, 2, lines.join("\n"));
    assert.deepEqual(lines.filter((l) => l.includes("changed")), ["app.ts changed: reloading", "app.ts changed: reloading"]);
  } finally {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without an entry (the built-in app) nothing is watched, and it says so", () => {
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(m) };
  assert.equal(startWatching(undefined, { watchIgnore: [], pidFile: "" }, log, async () => {}), undefined);
  assert.deepEqual(lines, ["warn --watch needs an app entry; the built-in app is not watched"]);
});
