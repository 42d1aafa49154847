import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyContext } from "../runtime/types.ts";
import { createHttpsRedirect } from "./https-redirect.ts";

const context = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as LskyContext;

test("redirects with 308 to the same host, path and query on the HTTPS port", async () => {
  const response = await createHttpsRedirect(8443)(new Request("http://shop.example:8080/a/b?c=1&d"), context);
  assert.equal(response.status, 308);
  assert.equal(response.headers.get("location"), "https://shop.example:8443/a/b?c=1&d");
});

test("leaves out the default port, keeps IPv6 brackets", async () => {
  assert.equal((await createHttpsRedirect(443)(new Request("http://a.test/"), context)).headers.get("location"), "https://a.test/");
  assert.equal((await createHttpsRedirect(8443)(new Request("http://[::1]:80/x"), context)).headers.get("location"), "https://[::1]:8443/x");
});
