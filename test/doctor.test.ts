import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, test } from "node:test";
import { killAll, runLsky } from "./harness/lsky.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("lsky doctor", (target) => {
  test("prints the engine, the CPUs and the open-files limit it runs with, soft raised to hard", async () => {
    const result = await runLsky(target, ["doctor"], { prefix: ["prlimit", "--nofile=64:4096", "--"] });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^engine: +${target.engine} \\d`, "m"));
    assert.match(result.stdout, /^cpus: +\d+$/m);
    assert.match(result.stdout, /^open files: +soft 4096, hard 4096 /m);
    assert.match(result.stdout, /^tcp_migrate_req: +\S/m);
    // This host has util-linux's setpriv: workers are started through it (docs/RELIABILITY.md, "Orphans").
    if (existsSync("/usr/bin/setpriv")) assert.match(result.stdout, /^worker tie: +\S*\/setpriv --pdeathsig KILL$/m);
  });

  test("explains each warning serve would give with the same options, and refuses an unknown option", async () => {
    const result = await runLsky(target, ["doctor", "--workers", "2"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^warnings:/m);
    // Bun cannot apply lsky's header timeout: serve's one-line summary points here for the whole text.
    if (target.engine === "bun") assert.match(result.stdout, /^- bun reads the header section under its own fixed/m);
    const wrong = await runLsky(target, ["doctor", "--worker", "2"]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--workers/);
  });
});
