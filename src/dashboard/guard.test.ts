import assert from "node:assert/strict";
import { test } from "node:test";
import { hostAllowed, refuseForeign, refuseWithoutToken } from "./guard.ts";

const TOKEN = "0123456789abcdef0123";

function request(path: string, headers: Record<string, string>, method = "GET"): Request {
  return new Request(`http://127.0.0.1:9000${path}`, { method, headers: { host: "127.0.0.1:9000", ...headers } });
}

test("same-origin and non-browser requests pass; another site's are refused", () => {
  assert.equal(refuseForeign(request("/api/state", {}), "127.0.0.1"), undefined);
  assert.equal(refuseForeign(request("/api/state", { "sec-fetch-site": "same-origin" }), "127.0.0.1"), undefined);
  const post = { origin: "http://127.0.0.1:9000", "sec-fetch-site": "same-origin" };
  assert.equal(refuseForeign(request("/api/reload", post, "POST"), "127.0.0.1"), undefined);
  for (const headers of <Record<string, string>[]>[
    { "sec-fetch-site": "cross-site" },
    { "sec-fetch-site": "same-site" },
    { origin: "http://evil.example" },
    { origin: "http://127.0.0.1:9001" },
    { origin: "null" },
  ]) {
    const refused = refuseForeign(request("/api/reload", headers, "POST"), "127.0.0.1");
    assert.equal(refused?.status, 403, JSON.stringify(headers));
    assert.equal(refused?.headers.get("access-control-allow-origin"), null);
  }
});

test("a link from another site may open the page, but not read the API", () => {
  const link = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" };
  assert.equal(refuseForeign(request("/", link), "127.0.0.1"), undefined);
  assert.equal(refuseForeign(request("/api/events", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" }), "127.0.0.1")?.status, 403);
});

test("the Host must name the listener: a rebound DNS name is refused", () => {
  assert.ok(hostAllowed("127.0.0.1:9000", "127.0.0.1"));
  assert.ok(hostAllowed("[::1]:9000", "::1"));
  assert.ok(hostAllowed("localhost:9000", "127.0.0.1"));
  assert.ok(hostAllowed("admin.internal:9000", "admin.internal"));
  assert.ok(!hostAllowed("evil.example:9000", "127.0.0.1"));
  assert.ok(!hostAllowed("", "127.0.0.1"));
  assert.equal(refuseForeign(request("/", { host: "evil.example:9000" }), "127.0.0.1")?.status, 403);
});

test("actions need the bearer token", () => {
  const post = (headers: Record<string, string>) => request("/api/reload", headers, "POST");
  assert.equal(refuseWithoutToken(post({ authorization: `Bearer ${TOKEN}` }), TOKEN), undefined);
  assert.equal(refuseWithoutToken(post({}), TOKEN)?.status, 401);
  assert.equal(refuseWithoutToken(post({ authorization: `Bearer ${TOKEN}x` }), TOKEN)?.status, 401);
  assert.equal(refuseWithoutToken(post({ authorization: "Bearer " }), "")?.status, 401);
});
