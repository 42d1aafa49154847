// Responses the app did not build at request time with `new Response` are
// still Responses: one made while the module loaded, and one returned by
// fetch() (a proxy). On Node the server swaps the global Response class, which
// once turned both into 500s.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("foreign responses", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("foreign-responses.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  test("serves a Response made while the module loaded", async () => {
    const response = await fetch(`${server.url}/at-load`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-made"), "at-load");
    assert.equal(await response.text(), "made at load");
  });

  test("serves the Response that fetch() returned", async () => {
    const response = await fetch(`${server.url}/proxy`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "plain answer");
    assert.doesNotMatch(server.output(), /instead of a Response/);
  });
});
