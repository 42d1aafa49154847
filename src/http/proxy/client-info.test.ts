import assert from "node:assert/strict";
import { test } from "node:test";
import { readProxyFields, readProxyHeaders, readProxyRecord, resolveClientInfo } from "./client-info.ts";
import { compileTrust, parseTrustEntries } from "../../net/trust.ts";

const policy = (list: string) => compileTrust(parseTrustEntries(list));
const headers = (init: Record<string, string>) => new Headers(init);

test("an untrusted peer's headers are ignored", () => {
  const info = resolveClientInfo("203.0.113.9", headers({ "x-forwarded-for": "1.1.1.1", "x-forwarded-proto": "https" }), policy("127.0.0.1"));
  assert.equal(info, undefined);
});

test("X-Forwarded-For is walked right to left, skipping trusted hops", () => {
  const h = headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2, 10.0.0.3" });
  assert.equal(resolveClientInfo("127.0.0.1", h, policy("loopback,10.0.0.0/8"))?.address, "198.51.100.4");
  // Only the peer trusted: the rightmost entry is the client, whatever is further left.
  assert.equal(resolveClientInfo("127.0.0.1", h, policy("127.0.0.1"))?.address, "10.0.0.3");
});

test("when every hop is trusted the leftmost one is the client", () => {
  const h = headers({ "x-forwarded-for": "10.0.0.1, 10.0.0.2" });
  assert.equal(resolveClientInfo("10.0.0.3", h, policy("private"))?.address, "10.0.0.1");
});

test("X-Forwarded-Proto and -Host take the rightmost value (set by the nearest proxy)", () => {
  const h = headers({ "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "http, https", "x-forwarded-host": "evil.test, example.com" });
  assert.deepEqual(resolveClientInfo("::1", h, policy("loopback")), { address: "1.2.3.4", proto: "https", host: "example.com" });
});

test("Forwarded wins over X-Forwarded-* and gives proto and host of the client's hop", () => {
  const h = headers({
    forwarded: 'for=198.51.100.17;proto=https;host=shop.example, for="[2001:db8::9]";proto=http;host=inner',
    "x-forwarded-for": "9.9.9.9",
  });
  const info = resolveClientInfo("127.0.0.1", h, policy("loopback,2001:db8::/32"));
  assert.deepEqual(info, { address: "198.51.100.17", proto: "https", host: "shop.example" });
});

test("IPv4-mapped peers, IPv6 hops and keywords", () => {
  const h = headers({ "x-forwarded-for": "2001:db8::1, 172.20.0.5" });
  assert.equal(resolveClientInfo("::ffff:127.0.0.1", h, policy("loopback,private"))?.address, "2001:db8::1");
  assert.equal(resolveClientInfo("8.8.8.8", h, policy("all"))?.address, "2001:db8::1");
});

test("a Unix-socket peer is trusted only with the unix keyword (or all)", () => {
  const h = headers({ "x-forwarded-for": "1.2.3.4" });
  assert.equal(resolveClientInfo(undefined, h, policy("loopback")), undefined);
  assert.equal(resolveClientInfo(undefined, h, policy("unix"))?.address, "1.2.3.4");
});

test("bad trust lists fail with the entry named", () => {
  assert.throws(() => parseTrustEntries("127.0.0.1, localhost"), /"localhost" is not an IP address or CIDR; expected addresses, CIDRs or loopback/);
  assert.deepEqual(parseTrustEntries(" Loopback , 10.0.0.0/8 ,"), ["loopback", "10.0.0.0/8"]);
});

test("empty entries and spaces in the lists are skipped, not taken as hops or values", () => {
  const h = headers({ "x-forwarded-for": " 6.6.6.6 ,, 10.0.0.2 , ", "x-forwarded-proto": "https, ", "x-forwarded-host": ",example.com ,," });
  assert.deepEqual(resolveClientInfo("127.0.0.1", h, policy("loopback,private")), { address: "6.6.6.6", proto: "https", host: "example.com" });
  const empty = headers({ "x-forwarded-for": " , ", "x-forwarded-proto": "" });
  assert.equal(resolveClientInfo("127.0.0.1", empty, policy("loopback"))?.address, undefined);
});

test("the raw field list gives the values Headers gives: any case, repeats joined, other names of the same length ignored", () => {
  const fields: [string, string][] = [
    ["Host", "127.0.0.1"],
    ["Accept-Encoding", "gzip"], // as long as X-Forwarded-For
    ["X-Forwarded-For", "198.51.100.7"],
    ["x-forwarded-for", "10.1.2.3"],
    ["X-FORWARDED-PROTO", "https"],
    ["X-Forwarded-Host", "shop.example"],
    ["Forwarded", "for=192.0.2.1"],
  ];
  const expected = readProxyHeaders(new Headers(fields));
  assert.deepEqual(readProxyFields(fields), expected);
  assert.equal(expected.forwardedFor, "198.51.100.7, 10.1.2.3");
  assert.deepEqual(readProxyFields([["Host", "x"]]), { forwarded: null, forwardedFor: null, forwardedProto: null, forwardedHost: null });
});

test("a keyed record (Node's IncomingMessage.headers) gives the values Headers gives", () => {
  const record = {
    host: "127.0.0.1",
    "x-forwarded-for": "198.51.100.7, 10.1.2.3",
    "x-forwarded-proto": "https",
    forwarded: ["for=192.0.2.1", "for=192.0.2.2"],
  };
  assert.deepEqual(readProxyRecord(record), {
    forwarded: "for=192.0.2.1, for=192.0.2.2", forwardedFor: "198.51.100.7, 10.1.2.3", forwardedProto: "https", forwardedHost: null,
  });
  assert.deepEqual(readProxyRecord({ host: "x" }), { forwarded: null, forwardedFor: null, forwardedProto: null, forwardedHost: null });
});
