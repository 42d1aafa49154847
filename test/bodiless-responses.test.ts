// HEAD, 204 and 304 go out without a body: checked on the wire, where an
// engine that wrongly sent body bytes (or an empty chunked body) would show.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { exchange, parseRawResponse } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

function request(method: string, path: string): string {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
}

describeTargets("responses without a body", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("bodiless.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  test("GET of the same path does carry the body (the control case)", async () => {
    const response = parseRawResponse(await exchange(server.port, request("GET", "/text")));
    assert.equal(response.status, 200);
    assert.match(response.rest.toString("latin1"), /this body is not for HEAD/);
  });

  for (const path of ["/text", "/stream"]) {
    test(`HEAD ${path} sends headers and no body bytes`, async () => {
      const response = parseRawResponse(await exchange(server.port, request("HEAD", path)));
      assert.equal(response.status, 200);
      assert.equal(response.rest.length, 0, `body bytes after HEAD: ${JSON.stringify(response.rest.toString("latin1"))}`);
    });
  }

  test("204 sends its headers and no body bytes", async () => {
    const response = parseRawResponse(await exchange(server.port, request("GET", "/204")));
    assert.equal(response.status, 204);
    assert.deepEqual(response.headers.get("x-kind"), ["no-content"]);
    assert.equal(response.headers.has("transfer-encoding"), false);
    assert.equal(response.rest.length, 0, `body bytes after 204: ${JSON.stringify(response.rest.toString("latin1"))}`);
  });

  test("304 sends its headers and no body bytes", async () => {
    const response = parseRawResponse(await exchange(server.port, request("GET", "/304")));
    assert.equal(response.status, 304);
    assert.deepEqual(response.headers.get("etag"), ['"v1"']);
    assert.equal(response.headers.has("transfer-encoding"), false);
    assert.equal(response.rest.length, 0, `body bytes after 304: ${JSON.stringify(response.rest.toString("latin1"))}`);
  });
});
