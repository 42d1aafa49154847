import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyContext } from "../../runtime/types.ts";
import { createProxyStage } from "./proxy-stage.ts";
import { rewriteUrl } from "./forwarding.ts";

const peer = (hostname: string) => ({ remoteAddr: { transport: "tcp", hostname, port: 5000 } }) as LskyContext;

function run(stage: ReturnType<typeof createProxyStage>, request: Request, context: LskyContext) {
  let seen: { request: Request; context: LskyContext } | undefined;
  const handler = stage!((req, ctx) => {
    seen = { request: req, context: ctx };
    return new Response("ok");
  });
  void handler(request, context);
  return seen!;
}

test("no stage when both options are off", () => {
  assert.equal(createProxyStage({ trustProxy: [], https: false }), undefined);
});

test("a trusted peer's headers set address, scheme and host; the body stream is passed on unread", async () => {
  const stage = createProxyStage({ trustProxy: ["loopback"], https: false });
  const request = new Request("http://127.0.0.1:8000/a?b=1", {
    method: "POST",
    body: "payload",
    headers: { "x-forwarded-for": "203.0.113.5", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" },
  });
  const seen = run(stage, request, peer("127.0.0.1"));
  assert.equal(seen.request.url, "https://shop.example/a?b=1");
  assert.equal(seen.context.remoteAddr.hostname, "203.0.113.5");
  assert.equal(seen.request.method, "POST");
  assert.equal(await seen.request.text(), "payload");
});

test("an untrusted peer's request passes through as the same object", () => {
  const stage = createProxyStage({ trustProxy: ["10.0.0.1"], https: false });
  const request = new Request("http://a.test/", { headers: { "x-forwarded-for": "1.1.1.1", "x-forwarded-proto": "https" } });
  const context = peer("127.0.0.1");
  const seen = run(stage, request, context);
  assert.equal(seen.request, request);
  assert.equal(seen.context, context);
});

test("--https makes the URL https even without a proxy", () => {
  const stage = createProxyStage({ trustProxy: [], https: true });
  const seen = run(stage, new Request("http://example.com:8000/x"), peer("8.8.8.8"));
  assert.equal(seen.request.url, "https://example.com:8000/x");
  assert.equal(seen.context.remoteAddr.hostname, "8.8.8.8");
});

test("rewriteUrl ignores odd schemes and hosts that are not host[:port]", () => {
  assert.equal(rewriteUrl("http://a.test/", { proto: "javascript" }), undefined);
  assert.equal(rewriteUrl("http://a.test/", { host: "evil.test/path" }), undefined);
  assert.equal(rewriteUrl("http://a.test/p", { host: "[::1]:8443", proto: "https" }), "https://[::1]:8443/p");
  assert.equal(rewriteUrl("http://a.test/", { proto: "HTTP" }), undefined);
  assert.equal(rewriteUrl("http://a.test:8000/", { proto: "https", host: "b.test:443" }), "https://b.test/");
});

test("the forwarded URL is set on the same request object, and its clones carry it", async () => {
  const stage = createProxyStage({ trustProxy: ["loopback"], https: false });
  const request = new Request("http://127.0.0.1:8000/c", { method: "PUT", body: "x", headers: { "x-forwarded-proto": "https" } });
  const seen = run(stage, request, peer("127.0.0.1"));
  assert.equal(seen.request, request);
  const clone = seen.request.clone();
  assert.equal(clone.url, "https://127.0.0.1:8000/c");
  assert.equal(await clone.text(), "x");
  assert.equal(await seen.request.text(), "x");
});

test("on a loopback listener with loopback trusted, the peer is never looked up", async () => {
  const stage = createProxyStage({ trustProxy: ["loopback"], https: false, host: "127.0.0.1" })!;
  let lookedUp = 0;
  const context = { get remoteAddr() { lookedUp++; return { transport: "tcp", hostname: "127.0.0.1", port: 1 }; }, set remoteAddr(_v) {} } as unknown as LskyContext;
  let url = "";
  await stage((request) => ((url = request.url), new Response("ok")))(new Request("http://127.0.0.1:8000/a", { headers: { "x-forwarded-host": "example.com" } }), context);
  assert.equal(url, "http://example.com/a");
  assert.equal(lookedUp, 0);
  // The same list on a wildcard listener looks the peer up.
  const open = createProxyStage({ trustProxy: ["loopback"], https: false, host: "0.0.0.0" })!;
  await open(() => new Response("ok"))(new Request("http://127.0.0.1:8000/a", { headers: { "x-forwarded-host": "example.com" } }), context);
  assert.equal(lookedUp, 1);
});

test("the answer kept for one request's headers is not used for another's", () => {
  const stage = createProxyStage({ trustProxy: ["loopback"], https: false });
  const send = (url: string, headers: Record<string, string>) => run(stage, new Request(url, { headers }), peer("127.0.0.1"));
  const first = send("http://127.0.0.1:8000/a", { "x-forwarded-for": "203.0.113.5", "x-forwarded-host": "one.example" });
  const again = send("http://127.0.0.1:8000/b", { "x-forwarded-for": "203.0.113.5", "x-forwarded-host": "one.example" });
  const otherClient = send("http://127.0.0.1:8000/c", { "x-forwarded-for": "203.0.113.6", "x-forwarded-host": "one.example" });
  const otherOrigin = send("http://127.0.0.1:800/d", { "x-forwarded-for": "203.0.113.6", "x-forwarded-proto": "https" });
  const longerPort = send("http://127.0.0.1:8001/e", { "x-forwarded-for": "203.0.113.6", "x-forwarded-proto": "https" });
  assert.equal(first.request.url, "http://one.example/a");
  assert.equal(again.request.url, "http://one.example/b");
  assert.equal(again.context.remoteAddr.hostname, "203.0.113.5");
  assert.equal(otherClient.context.remoteAddr.hostname, "203.0.113.6");
  assert.equal(otherOrigin.request.url, "https://127.0.0.1:800/d");
  assert.equal(longerPort.request.url, "https://127.0.0.1:8001/e");
});

test("the engine's raw field list, when it has one for the request, is read instead of the Headers", () => {
  const fields: [string, string][] = [["X-Forwarded-For", "203.0.113.9"], ["X-Forwarded-Proto", "https"]];
  const request = new Request("http://127.0.0.1:8000/p");
  const stage = createProxyStage({
    trustProxy: ["loopback"], https: false, headerFields: (r) => (r === request ? fields : undefined),
  });
  const seen = run(stage, request, peer("127.0.0.1"));
  assert.equal(seen.request.url, "https://127.0.0.1:8000/p");
  assert.equal(seen.context.remoteAddr.hostname, "203.0.113.9");
  const other = new Request("http://127.0.0.1:8000/q", { headers: { "x-forwarded-for": "198.51.100.1" } });
  assert.equal(run(stage, other, peer("127.0.0.1")).context.remoteAddr.hostname, "198.51.100.1", "another request: its Headers");
});

test("the engine's keyed record, when the context has one, is read instead of the Headers", () => {
  const record = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" };
  const withRecord = { ...peer("127.0.0.1"), incoming: { headers: record } } as LskyContext;
  const stage = createProxyStage({
    trustProxy: ["loopback"], https: false,
    headerRecord: (context) => (context as { incoming?: { headers: typeof record } }).incoming?.headers,
  });
  // The request's own Headers say otherwise: the record must win.
  const request = new Request("http://127.0.0.1:8000/p", { headers: { "x-forwarded-for": "198.51.100.1" } });
  const seen = run(stage, request, withRecord);
  assert.equal(seen.request.url, "https://127.0.0.1:8000/p");
  assert.equal(seen.context.remoteAddr.hostname, "203.0.113.9");
  assert.equal(run(stage, request, peer("127.0.0.1")).context.remoteAddr.hostname, "198.51.100.1", "no record: the Headers");
});
