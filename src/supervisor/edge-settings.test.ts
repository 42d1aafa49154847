import assert from "node:assert/strict";
import { test } from "node:test";
import { SETTINGS, type ServeSettings, type SettingSpec } from "../config/options.ts";
import { claimListeners, describeListen } from "./edge-settings.ts";

const defaults = Object.fromEntries(
  (SETTINGS as readonly SettingSpec[]).map((s) => [s.key, s.defaultValue({ currentEngine: "node" })]),
) as unknown as ServeSettings;

test("the start line names the scheme, the sockets and what is on", () => {
  const tcp = { port: 8443, socketPaths: [], redirectPort: 8080 };
  const tls = { ...defaults, host: "::", tlsCert: "c.pem", tlsKey: "k.pem", trustProxy: ["loopback"] };
  assert.equal(
    describeListen(tls, tcp),
    "https://localhost:8443 [all IPv6 and IPv4 addresses; TLS, HTTP/2 and HTTP/1.1; http://localhost:8080 redirects to https; trusting proxies loopback]",
  );
  const perWorker = { port: 0, socketPaths: ["/s.1", "/s.2"], redirectPort: 0 };
  assert.equal(describeListen(defaults, perWorker), "unix:/s.1,/s.2 (one socket per worker)");
  assert.equal(describeListen(defaults, { port: 80, socketPaths: [], redirectPort: 0 }), "http://localhost:80 [all IPv4 addresses]");
  assert.equal(describeListen({ ...defaults, host: "::1" }, { port: 80, socketPaths: [], redirectPort: 0 }), "http://[::1]:80");
});

test("TLS settings are checked together before anything listens", async () => {
  await assert.rejects(claimListeners({ ...defaults, tlsCert: "c.pem" }, "node"), /--tls-cert and --tls-key go together/);
  await assert.rejects(claimListeners({ ...defaults, httpRedirect: 8080 }, "node"), /--http-redirect 8080 needs --tls-cert/);
  await assert.rejects(claimListeners({ ...defaults, tlsCert: "/nope/c.pem", tlsKey: "/nope/k.pem" }, "node"), /Cannot read --tls-cert "\/nope\/c\.pem": ENOENT/);
});
