import assert from "node:assert/strict";
import { test } from "node:test";
import { BootSignals } from "./signals.ts";

function fakeLog() {
  const lines: string[] = [];
  return { lines, info: (l: string) => void lines.push(l), warn: (l: string) => void lines.push(l) };
}

test("a stop signal during start-up stops the booting pool; a second one kills its workers", async () => {
  const log = fakeLog();
  const killed: string[] = [];
  let stopped = 0;
  const boot = new BootSignals(log);
  boot.stop(); // before the pool exists: only said
  boot.pool = { stop: async () => void stopped++, workers: () => [{ kill: (s) => void killed.push(s) }] };
  boot.stop();
  assert.equal(stopped, 1);
  boot.force();
  assert.deepEqual(killed, ["SIGKILL"]);
  assert.equal(boot.forced, true);
  assert.match(log.lines[0]!, /stopping during start-up/);
});

test("SIGHUP during start-up is kept for a reload once ready", () => {
  const log = fakeLog();
  const boot = new BootSignals(log);
  assert.equal(boot.reloadWhenReady, false);
  boot.reload();
  assert.equal(boot.reloadWhenReady, true);
  assert.match(log.lines[0]!, /reloaded once they are all ready/);
});
