import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

describeTargets("500 bodies", (target) => {
  test("in production a 500 reveals no message, stack or path", async () => {
    const server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    const response = await fetch(`${server.url}/throw`);
    const body = await response.text();
    await server.stop();
    assert.equal(response.status, 500);
    assert.equal(body, "Internal Server Error");
    assert.doesNotMatch(body, /secret|\/srv|faults\.ts|\bat\b/);
    // The detail goes to the log instead.
    assert.match(server.output(), /secret failure at \/srv\/app\/secret\.ts/);
    report({ suite: "errors", target: target.name, name: "500 in production", expected: "body \"Internal Server Error\" only", got: `body ${JSON.stringify(body)}`, verdict: "ok" });
  });

  test("with --dev a 500 shows the message and stack", async () => {
    const server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1", "--dev"]);
    const response = await fetch(`${server.url}/throw`);
    const body = await response.text();
    await server.stop();
    assert.equal(response.status, 500);
    assert.match(body, /secret failure at \/srv\/app\/secret\.ts/);
    assert.match(body, /^Error: secret failure/);
  });
});
