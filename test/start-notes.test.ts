import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

// What lsky does differently from the engine run directly is said once, at start.
describeTargets("start notes", (target) => {
  test("an exported port lsky does not use is named beside the port that wins", async () => {
    const server = await startLsky(target, [fixture("port-export.ts"), "--workers", "2"]);
    try {
      await server.waitForOutput(/sets port 3999; lsky listens on \d+/);
      assert.equal(await (await fetch(server.url)).text(), "from the app");
      assert.equal(server.output().match(/sets port 3999/g)?.length, 1);
      assert.match(server.output(), new RegExp(`lsky listens on ${server.port} `));
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });

  test("the default ./public answering before the app is said at start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-static-note-"));
    try {
      mkdirSync(join(dir, "public"));
      writeFileSync(join(dir, "public", "hello.txt"), "static\n");
      const server = await startLsky(target, [fixture("port-export.ts"), "--workers", "1"], { cwd: dir });
      assert.match(server.output(), /files in \.\/public are served before the app/);
      assert.equal(await (await fetch(`${server.url}/hello.txt`)).text(), "static\n");
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
