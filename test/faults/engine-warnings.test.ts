import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

// The start-up warning says, in one short line, that the chosen engine cannot
// keep every promise and names lsky doctor; which promises, and the fixes, are
// the doctor's text (src/supervisor/host-notes.ts, unit-tested beside it).
const WARNINGS: Record<string, { args: string[]; warning: RegExp | undefined }[]> = {
  node: [{ args: [], warning: undefined }],
  bun: [{ args: [], warning: /warning: .*bun cannot keep every limit \(run "lsky doctor" for the details and fixes\)/ }],
  deno: [
    { args: [], warning: /warning: .*deno \(Deno\.serve\) has no header or keep-alive timeout, and reloads reset some new connections, deno cannot keep every limit \(run "lsky doctor"/ },
    { args: ["--deno-server", "node"], warning: /warning: (?!.*Deno\.serve).*deno cannot keep every limit \(run "lsky doctor"/ },
  ],
};

describeTargets("engine warnings", (target) => {
  for (const { args, warning } of WARNINGS[target.engine]!) {
    test(`${args.join(" ") || "defaults"}: ${warning ? "warns about the engine's gaps" : "no engine warning"}`, async () => {
      const server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1", ...args]);
      const response = await fetch(`${server.url}/hello`);
      assert.equal(await response.text(), "hit /hello 0");
      const exit = await server.stop();
      assert.equal(exit.code, 0);
      if (warning) assert.match(server.output(), warning);
      else assert.doesNotMatch(server.output(), /cannot keep every limit/);
      assert.ok(server.output().split("\n").filter((line) => line.includes("warning:")).length <= 1, "one warning line at most");
    });
  }
});
