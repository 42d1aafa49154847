// Method, path, query, repeated headers and the client address reach the app
// the same on every engine (serve-basics covers the plain POST case).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { exchange, openSocket, parseRawResponse } from "./harness/raw-http.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("request shape", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  for (const method of ["GET", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
    test(`passes the ${method} method`, async () => {
      const response = await fetch(`${server.url}/m`, { method });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).method, method);
    });
  }

  test("keeps an encoded path and repeated query keys as sent", async () => {
    const response = await fetch(`${server.url}/a%20b/%C3%A9/c?k=1&k=2&amp=%26&empty=`);
    const echo = await response.json();
    assert.equal(echo.path, "/a%20b/%C3%A9/c");
    assert.equal(echo.search, "?k=1&k=2&amp=%26&empty=");
    assert.equal(echo.url, `${server.url}/a%20b/%C3%A9/c?k=1&k=2&amp=%26&empty=`);
    assert.deepEqual(echo.query, { k: "2", amp: "&", empty: "" });
  });

  test("joins a repeated request header into one value", async () => {
    const raw = await exchange(server.port,
      "GET /h HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Multi: one\r\nX-Multi: two\r\nAccept: a/b\r\nConnection: close\r\n\r\n");
    const response = parseRawResponse(raw);
    assert.equal(response.status, 200);
    const echo = jsonIn(response.rest.toString("utf8"));
    assert.equal(echo.headers["x-multi"], "one, two");
    assert.equal(echo.headers.accept, "a/b");
  });

  test("sends three Set-Cookie headers separately, a comma inside one intact", async () => {
    const raw = parseRawResponse(await exchange(server.port, "GET /dated-cookies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    assert.deepEqual(raw.headers.get("set-cookie"), [
      "a=1; Path=/",
      "b=2; Path=/; HttpOnly",
      "c=3; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/",
    ]);
  });

  test("gives the client's address and port in the second fetch argument", async () => {
    const socket = await openSocket(server.port);
    const localPort = socket.localPort;
    const body = await new Promise<string>((resolve, reject) => {
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.once("close", () => resolve(text));
      socket.once("error", reject);
      socket.write("GET /addr HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    });
    const echo = jsonIn(body);
    assert.equal(echo.client, "127.0.0.1");
    assert.equal(echo.clientPort, localPort);
  });
});

/** The JSON object in a raw response body, whether it was sent chunked or not. */
function jsonIn(text: string) {
  return JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
}
