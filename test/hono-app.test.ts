import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

// A Hono app importing "hono" from node_modules, unchanged, on every engine and
// from the compiled binary (which resolves the app's packages from disk).
describeTargets("a Hono app", (target) => {
  let server: LskyProcess;

  test("starts", async () => {
    server = await startLsky(target, [fixture("hono-routes.ts"), "--workers", "1"]);
  });

  test("routes, params, JSON bodies and c.env.remoteAddr work", async () => {
    const root = await fetch(`${server.url}/`);
    assert.equal(root.status, 200);
    assert.equal(await root.text(), "Hello from Hono");
    const user = await fetch(`${server.url}/users/42`);
    assert.deepEqual(await user.json(), { id: "42", client: "127.0.0.1" });
    const echo = await fetch(`${server.url}/echo`, { method: "POST", body: JSON.stringify({ a: [1, 2] }), headers: { "content-type": "application/json" } });
    assert.deepEqual(await echo.json(), { a: [1, 2] });
    const missing = await fetch(`${server.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), "no such route");
  });

  test("stops", async () => {
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
