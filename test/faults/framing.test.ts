import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { exchange, PROBE, type RawResult } from "./_raw-client.ts";
import { FRAMING_CASES, type FramingCase, LIMIT_ARGS, LIMIT_CASES } from "./_framing-cases.ts";
import { knownGap } from "./_known-gaps.ts";
import { type ServerVariant, serverVariants } from "./_server-variants.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

function outcome(result: RawResult): string {
  const status = result.statuses[0] ?? "no response";
  const conn = result.closed ? "closed" : result.timedOut ? "left open" : "kept";
  return `${status} ${conn}`;
}

describeTargets("framing and limits", (target) => {
  for (const variant of serverVariants(target)) describe(`server${variant.title || " by default"}`, () => framingCases(target, variant));
});

function framingCases(target: Parameters<typeof startLsky>[0], variant: ServerVariant): void {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1", ...LIMIT_ARGS, ...variant.args]);
  });
  after(() => server?.stop());

  const run = (suite: string, c: FramingCase) =>
    test(`${c.name}: ${c.status}, connection ${c.conn}`, async () => {
      const result = await exchange(server.port, c.payload, { probe: PROBE, responses: c.responses, head: c.head, boundMs: 4000 });
      const seen = await (await fetch(`${server.url}/__seen`)).json() as { seen: string[] };
      const got = outcome(result);
      const expected = `${c.status} ${c.conn}`;
      const gap = knownGap(variant.key, c.name);
      report({ suite, target: `${target.name}${variant.title}`, name: c.name, expected, got, verdict: got === expected ? "ok" : "gap" });
      // A smuggled request reaching the app is never acceptable.
      assert.ok(!seen.seen.includes("/smuggled"), `a smuggled request reached the app: ${seen.seen.join(", ")}`);
      assert.ok(!result.bodies.some((b) => b.startsWith("hit /smuggled")), "a smuggled request was answered");
      assert.equal(got, gap ?? expected, `raw exchange: ${JSON.stringify(result.raw.slice(0, 200))}`);
    });

  for (const c of FRAMING_CASES) run("framing", c);
  for (const c of LIMIT_CASES) run("limits", c);
}
