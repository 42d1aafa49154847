// `--deno-server node` writes a body the app held in memory straight to
// node:http and leaves every other body to @hono/node-server's writer
// (src/runtime/node-held-send.ts). Both must put the same response on the
// wire: status, headers, exact length and bytes, no body after HEAD, and a
// keep-alive connection that stays usable. Deno only: Node serves through
// the lightweight classes, and Bun and Deno.serve write their own responses.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { exchange, openSocket, parseRawResponse, type RawResponse } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const request = (path: string, method = "GET", connection = "close") =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${connection}\r\n\r\n`;

describeTargets("responses on --deno-server node", (target) => {
  const skip = target.name !== "deno" && "Deno's node:http only";
  let server: LskyProcess;
  before(async () => {
    if (skip) return;
    server = await startLsky(target, [fixture("held-bodies.ts"), "--workers", "1", "--host", "127.0.0.1", "--deno-server", "node"]);
  });
  after(async () => {
    if (!skip) assert.equal((await server.stop()).code, 0);
  });
  const get = async (path: string, method = "GET"): Promise<RawResponse> =>
    parseRawResponse(await exchange(server.port, request(path, method)));

  test("a string body: its default type, its length in bytes, its bytes", { skip }, async () => {
    const response = await get("/text");
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers.get("content-type"), ["text/plain;charset=UTF-8"]);
    assert.deepEqual(response.headers.get("content-length"), [String(Buffer.byteLength("héllo wörld"))]);
    assert.equal(response.rest.toString("utf8"), "héllo wörld");
  });

  test("the app's content type, status and other headers are kept", { skip }, async () => {
    const typed = await get("/typed");
    assert.deepEqual(typed.headers.get("content-type"), ["text/html"]);
    assert.equal(typed.rest.toString(), "<p>x</p>");
    const created = await get("/created");
    assert.equal(created.status, 201);
    assert.deepEqual(created.headers.get("location"), ["/made"]);
    assert.equal(created.rest.toString(), "made");
  });

  test("bytes go out as they are, without a content type (as Deno.serve sends them)", { skip }, async () => {
    const response = await get("/bytes");
    assert.equal(response.headers.has("content-type"), false);
    assert.deepEqual(response.headers.get("content-length"), ["4"]);
    assert.deepEqual([...response.rest], [0, 1, 2, 255]);
  });

  test("each Set-Cookie is its own field", { skip }, async () => {
    const response = await get("/cookies");
    assert.deepEqual(response.headers.get("set-cookie"), ["a=1; Path=/", "b=2"]);
    assert.deepEqual(response.headers.get("x-kind"), ["cookies"]);
  });

  test("an empty body is a Content-Length of 0; a wrong length from the app is corrected", { skip }, async () => {
    const empty = await get("/empty");
    assert.deepEqual(empty.headers.get("content-length"), ["0"]);
    assert.equal(empty.rest.length, 0);
    const claimed = await get("/claimed");
    assert.deepEqual(claimed.headers.get("content-length"), ["4"]);
    assert.equal(claimed.rest.toString(), "four");
  });

  test("HEAD sends the GET's headers and no body bytes", { skip }, async () => {
    const response = await get("/text", "HEAD");
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers.get("content-length"), [String(Buffer.byteLength("héllo wörld"))]);
    assert.equal(response.rest.length, 0);
  });

  test("streamed, JSON and bodiless responses go through the general writer", { skip }, async () => {
    const stream = await get("/stream");
    assert.match(stream.rest.toString(), /from a stream/);
    const json = await get("/json");
    assert.deepEqual(json.headers.get("content-type"), ["application/json"]);
    assert.match(json.rest.toString(), /\{"ok":true\}/);
    const none = await get("/none");
    assert.equal(none.status, 204);
    assert.equal(none.rest.length, 0);
  });

  test("one keep-alive connection carries many held and streamed answers in order", { skip }, async () => {
    const socket = await openSocket(server.port);
    const paths = ["/text", "/stream", "/bytes", "/empty", "/cookies", "/text"];
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    // Pipelined: the last asks to close, so the server ends the connection after answering it.
    socket.write(paths.map((path, i) => request(path, "GET", i === paths.length - 1 ? "close" : "keep-alive")).join(""));
    await closed;
    const text = Buffer.concat(received).toString("utf8");
    assert.equal(text.match(/HTTP\/1\.1 200 OK\r\n/g)?.length, paths.length, text);
    const bodies = ["héllo wörld", "from a stream", "ok", "héllo wörld"];
    let at = 0;
    for (const body of bodies) {
      const found = text.indexOf(body, at);
      assert.ok(found > at, `"${body}" in order in:\n${text}`);
      at = found;
    }
  });
});
