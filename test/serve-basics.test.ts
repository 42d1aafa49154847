import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("serve basics", (target) => {
  let server: LskyProcess;

  test("starts and prints one start line with URL, engine and app", async () => {
    server = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    assert.match(server.stdout(), new RegExp(`serving .*echo\\.ts at http://127\\.0\\.0\\.1:${server.port} on ${target.engine} \\d`));
  });

  test("passes method, path, query, headers and body to the app", async () => {
    const response = await fetch(`${server.url}/a/b?x=1&y=two`, {
      method: "POST",
      headers: { "x-test": "yes" },
      body: "hello",
    });
    assert.equal(response.status, 200);
    const echo = await response.json();
    assert.equal(echo.method, "POST");
    assert.equal(echo.path, "/a/b");
    assert.deepEqual(echo.query, { x: "1", y: "two" });
    assert.equal(echo.headers["x-test"], "yes");
    assert.equal(echo.body, "hello");
    assert.equal(echo.client, "127.0.0.1");
  });

  test("sends several Set-Cookie headers separately", async () => {
    const response = await fetch(`${server.url}/cookies`);
    assert.deepEqual(response.headers.getSetCookie(), ["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
  });

  test("stops gracefully on SIGTERM with exit code 0", async () => {
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});
