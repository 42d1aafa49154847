import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { fixture, selectedTargets } from "../harness/targets.ts";

after(killAll);

// The start-up warning names every promise the chosen engine cannot keep.
const WARNINGS: Record<string, { args: string[]; warning: RegExp | undefined }[]> = {
  node: [{ args: [], warning: undefined }],
  bun: [{ args: [], warning: /warning: bun reads the header section under its own fixed ~10 s timer/ }],
  deno: [
    { args: [], warning: /warning: a worker stopping on deno may reset a connection it accepted as its listener closed/ },
    { args: ["--deno-server", "native"], warning: /warning: deno with --deno-server native: no header timeout/ },
  ],
};

for (const target of selectedTargets()) {
  describe(`engine warnings on ${target.name}`, () => {
    for (const { args, warning } of WARNINGS[target.engine]!) {
      test(`${args.join(" ") || "defaults"}: ${warning ? "warns about the engine's gaps" : "no engine warning"}`, async () => {
        const server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1", ...args]);
        const response = await fetch(`${server.url}/hello`);
        assert.equal(await response.text(), "hit /hello 0");
        const exit = await server.stop();
        assert.equal(exit.code, 0);
        if (warning) assert.match(server.output(), warning);
        else assert.doesNotMatch(server.output(), /warning: .*(header section|--deno-server native|worker stopping)/);
      });
    }
  });
}
