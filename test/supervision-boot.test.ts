import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, runLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

describeTargets("boot failures", (target) => {
  test("an app that throws on import: exit 1 at once, the app's error printed once, no restarts", async () => {
    const port = await freePort();
    const result = await runLsky(target, ["serve", fixture("throws-on-import.ts"), "--workers", "2", "--host", "127.0.0.1", "--port", String(port)]);
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output);
    assert.equal(count(output, /database unreachable \(fixture\)/), 1, output);
    assert.doesNotMatch(output, /restarting in/);
    assert.doesNotMatch(output, /serving .* at http/);
  });

  test("an app that dies after it started: retried with backoff, then the supervisor gives up", async () => {
    const port = await freePort();
    const result = await runLsky(target, ["serve", fixture("fails-after-listen.ts"), "--workers", "1", "--host", "127.0.0.1", "--port", String(port)]);
    const output = result.stdout + result.stderr;
    assert.equal(result.code, 1, output);
    assert.match(output, /serving .* at http/);
    for (const delay of [100, 200, 400, 800]) {
      assert.match(output, new RegExp(`worker 1 \\(pid \\d+\\) crashed with code 7; restarting in ${delay} ms`));
    }
    assert.equal(count(output, /\[w1\] fixture: giving up after start/), 5, output);
    assert.equal(count(output, /Worker 1 crashed with code 7 5 times in a row, each within \d+ s of starting; giving up/), 1, output);
  });
});
