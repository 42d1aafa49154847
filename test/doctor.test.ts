import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, runLsky } from "./harness/lsky.ts";
import { selectedTargets } from "./harness/targets.ts";

after(killAll);

for (const target of selectedTargets()) {
  describe(`lsky doctor on ${target.name}`, () => {
    test("prints the engine, the CPUs and the open-files limit it runs with, soft raised to hard", async () => {
      const result = await runLsky(target, ["doctor"], { prefix: ["prlimit", "--nofile=64:4096", "--"] });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^engine: +${target.engine} \\d`, "m"));
      assert.match(result.stdout, /^cpus: +\d+$/m);
      assert.match(result.stdout, /^open files: +soft 4096, hard 4096 /m);
      assert.match(result.stdout, /^tcp_migrate_req: +\S/m);
    });
  });
}
