import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FetchApp } from "../app/contract.ts";
import type { LskyContext } from "../runtime/types.ts";
import { createHandler, type RequestCounters } from "./handler.ts";

const context = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1234 } } as LskyContext;

function setup(fetch: FetchApp["fetch"], dev = false) {
  const counters: RequestCounters = { requests: 0, inflight: 0 };
  const logged: string[] = [];
  const handler = createHandler({ fetch }, { dev, counters, log: (line) => logged.push(line) });
  const call = (path = "/p?secret=1", method = "GET") => handler(new Request(`http://x${path}`, { method }), context);
  return { counters, logged, call };
}

describe("createHandler", () => {
  test("a synchronous Response stays synchronous", async () => {
    const { call, counters } = setup(() => new Response("ok"));
    const result = call();
    assert.ok(result instanceof Response, "not a Promise");
    assert.equal(await result.text(), "ok");
    assert.deepEqual(counters, { requests: 1, inflight: 0 });
  });

  test("passes the request and the context to the app", async () => {
    let seen: [string, string, LskyContext] | undefined;
    const { call } = setup((request, ctx) => {
      seen = [request.method, request.url, ctx];
      return new Response(null, { status: 204 });
    });
    assert.equal((call("/a?b=1", "PUT") as Response).status, 204);
    assert.deepEqual(seen, ["PUT", "http://x/a?b=1", context]);
  });

  test("an async Response resolves, and counts as in flight until then", async () => {
    let finish!: (response: Response) => void;
    const { call, counters } = setup(() => new Promise<Response>((resolve) => (finish = resolve)));
    const pending = call();
    assert.ok(pending instanceof Promise);
    assert.deepEqual(counters, { requests: 1, inflight: 1 });
    finish(new Response("later"));
    assert.equal(await (await pending).text(), "later");
    assert.deepEqual(counters, { requests: 1, inflight: 0 });
  });

  const failures: [string, FetchApp["fetch"], RegExp][] = [
    ["a synchronous throw", () => { throw new Error("boom secret"); }, /Error: boom secret/],
    ["a rejected promise", () => Promise.reject(new Error("async boom secret")), /Error: async boom secret/],
    ["a thrown non-Error", () => { throw "plain string secret"; }, /plain string secret/],
    ["undefined", () => undefined, /the app returned undefined instead of a Response/],
    ["null", () => null, /the app returned null instead of a Response/],
    ["a plain object", () => ({ body: "secret" }), /the app returned an object \(Object\) instead of a Response/],
    ["a promise of a string", () => Promise.resolve("secret"), /the app returned a string instead of a Response/],
  ];
  for (const [what, fetch, logged] of failures) {
    test(`${what} gives a bare 500 and logs method, path and error`, async () => {
      const { call, counters, logged: lines } = setup(fetch);
      const response = await call("/fail/here?secret=1", "POST");
      assert.equal(response.status, 500);
      assert.equal(await response.text(), "Internal Server Error");
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, /^Error handling POST \/fail\/here: /);
      assert.match(lines[0]!, logged);
      assert.doesNotMatch(lines[0]!, /secret=1/, "the query string stays out of the log");
      assert.deepEqual(counters, { requests: 1, inflight: 0 });
    });
  }

  test("a synchronous failure is answered synchronously", () => {
    const { call } = setup(() => undefined);
    const result = call();
    assert.ok(result instanceof Response);
    assert.equal(result.status, 500);
  });

  test("the log carries the stack of an Error", () => {
    const { call, logged } = setup(() => { throw new Error("with stack"); });
    call();
    assert.match(logged[0]!, /Error: with stack\n\s+at /);
  });

  test("an error with an empty stack is logged by name and message", () => {
    const error = new Error("The connection was closed.");
    error.name = "AbortError";
    error.stack = "";
    const { call, logged } = setup(() => { throw error; });
    call("/upload", "POST");
    assert.equal(logged[0], "Error handling POST /upload: AbortError: The connection was closed.");
  });

  test("dev mode shows the message and stack in the 500 body", async () => {
    const { call } = setup(() => { throw new Error("visible in dev"); }, true);
    const body = await (await call()).text();
    assert.match(body, /Error: visible in dev\n\s+at /);
  });

  test("counts every request, failed or not", async () => {
    let n = 0;
    const { call, counters } = setup(() => (++n % 2 ? new Response("ok") : Promise.reject(new Error("x"))));
    for (let i = 0; i < 4; i++) await call();
    assert.deepEqual(counters, { requests: 4, inflight: 0 });
  });

  test("a thenable that is not a native Promise is awaited", async () => {
    const { call } = setup(() => ({ then: (resolve: (r: Response) => void) => resolve(new Response("from thenable")) }));
    const response = await call();
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "from thenable");
  });
});
