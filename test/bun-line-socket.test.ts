import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { fixture, ROOT, selectedTargets } from "./harness/targets.ts";

// The bus's connection on Bun (src/runtime/bun-unix-socket.ts) cannot run
// under node's test runner: a fixture runs it with Bun and reports.
const onBun = selectedTargets().some((target) => target.engine === "bun");

test("the bus's Bun socket keeps order through a full buffer, calls back once written, and closes with its peer", { skip: !onBun && "no Bun target selected" }, () => {
  const run = spawnSync(join(ROOT, "node_modules", ".bin", "bun"), [fixture("bun-line-socket-check.ts")], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    waitedAtSomePoint: true,
    callbacksWhilePausedBelowAll: true,
    callbacks: 400,
    finalWritten: true,
    inOrder: true,
    last: "last",
    early: "early\n",
    closed: true,
    destroyed: true,
    writeAfterClose: false,
  });
});
