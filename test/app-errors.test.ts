// An app that throws, rejects or returns something other than a Response gives
// the client a bare 500, logs the error with method and path, and the server
// keeps serving.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const FAILURES: { method: string; path: string; logged: RegExp }[] = [
  { method: "GET", path: "/throw", logged: /sync failure secret-detail-42/ },
  { method: "POST", path: "/reject", logged: /async failure secret-detail-42/ },
  { method: "GET", path: "/throw-string", logged: /thrown string secret-detail-42/ },
  { method: "GET", path: "/object", logged: /instead of a Response/ },
  { method: "DELETE", path: "/undefined", logged: /returned undefined instead of a Response/ },
  { method: "GET", path: "/async-object", logged: /returned a string instead of a Response/ },
];

describeTargets("app errors", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("app-errors.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  for (const { method, path, logged } of FAILURES) {
    test(`${method} ${path} gives a 500 that reveals nothing and logs the error`, async () => {
      const response = await fetch(`${server.url}${path}?q=1`, { method });
      assert.equal(response.status, 500);
      const body = await response.text();
      assert.equal(body, "Internal Server Error");
      const line = await server.waitForOutput(new RegExp(`Error handling ${method} ${path}: .*`));
      assert.match(line[0], logged);
      assert.doesNotMatch(line[0], /\?q=1/, "the query string (which may carry secrets) stays out of the log");
      const after = await fetch(`${server.url}/ok`);
      assert.equal(after.status, 200);
      assert.equal(await after.text(), "still serving");
    });
  }

  test("a response stream that fails mid-way breaks that response, is logged, and the server keeps serving", async () => {
    await assert.rejects(async () => (await fetch(`${server.url}/broken-stream`)).text());
    await server.waitForOutput(/stream broke mid-way/);
    assert.equal(await (await fetch(`${server.url}/ok`)).text(), "still serving");
  });

  test("logs the stack of a thrown Error", async () => {
    await (await fetch(`${server.url}/throw`)).text();
    assert.match(server.output(), /sync failure secret-detail-42\n(\[w1\] )?\s+at /);
  });
});
