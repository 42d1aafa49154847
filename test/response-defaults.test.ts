// An app's Response goes out with the same defaults on every engine: a
// string body made with a plain-object headers init gets a text content type,
// a Content-Length the app got wrong is replaced by the body's own, and the
// app's headers object is never changed. Node's @hono/node-server writes
// such responses as given; lsky corrects them (node-response-defaults.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { exchange, parseRawResponse, type RawResponse } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const TEXT_TYPE = /^text\/plain; ?charset=utf-8$/i;

describeTargets("response defaults", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("held-bodies.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
  });
  const get = async (path: string, method = "GET"): Promise<RawResponse> =>
    parseRawResponse(await exchange(server.port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));

  test("a string body with plain-object headers gets a text content type", async () => {
    const created = await get("/created");
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("content-type")?.length, 1);
    assert.match(created.headers.get("content-type")![0]!, TEXT_TYPE);
    assert.deepEqual(created.headers.get("location"), ["/made"]);
    assert.equal(created.rest.toString(), "made");
  });

  test("the app's content type is kept", async () => {
    assert.deepEqual((await get("/typed")).headers.get("content-type"), ["text/html"]);
  });

  test("bytes are never called text", async () => {
    const bytes = await get("/bytes");
    // The Fetch standard gives bytes no type (Deno, Node); Bun names them octet-stream.
    const type = bytes.headers.get("content-type");
    if (target.name === "bun" || target.name === "binary") assert.deepEqual(type, ["application/octet-stream"]);
    else assert.equal(type, undefined);
    assert.deepEqual(bytes.headers.get("content-length"), ["4"]);
    assert.deepEqual([...bytes.rest], [0, 1, 2, 255]);
    const withCookies = await get("/bytes-cookies");
    assert.deepEqual(withCookies.headers.get("content-type"), type);
    assert.deepEqual(withCookies.headers.get("set-cookie"), ["a=1; Path=/", "b=2"]);
    assert.deepEqual(withCookies.headers.get("x-kind"), ["cookies"]);
    assert.deepEqual([...withCookies.rest], [7]);
  });

  for (const path of ["/claimed", "/claimed-headers", "/claimed-pairs"]) {
    test(`a wrong Content-Length from the app is the body's length (${path})`, async () => {
      const claimed = await get(path);
      assert.deepEqual(claimed.headers.get("content-length"), ["4"]);
      assert.equal(claimed.rest.toString(), "four");
    });
  }

  test("HEAD of a string body: its length, no body bytes", async () => {
    const head = await get("/text", "HEAD");
    assert.deepEqual(head.headers.get("content-length"), [String(Buffer.byteLength("héllo wörld"))]);
    assert.equal(head.rest.length, 0);
  });

  test("the app's headers object is not changed", async () => {
    for (let i = 0; i < 2; i++) {
      const shared = await get("/shared");
      assert.equal(shared.rest.toString(), "x-shared");
      assert.match(shared.headers.get("content-type")![0]!, TEXT_TYPE);
    }
  });
});
