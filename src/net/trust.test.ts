import assert from "node:assert/strict";
import { test } from "node:test";
import { compileTrust, parseTrustEntries } from "./trust.ts";

test("a list covers a listener when every peer that can reach it is trusted", () => {
  const covers = (list: string, host: string) => compileTrust(parseTrustEntries(list)).coversListener(host);
  assert.equal(covers("loopback", "127.0.0.1"), true);
  assert.equal(covers("127.0.0.0/8", "127.0.0.1"), true);
  assert.equal(covers("127.0.0.0/7", "127.0.0.1"), true);
  assert.equal(covers("loopback", "::1"), true);
  assert.equal(covers("loopback", "localhost"), true);
  assert.equal(covers("all", "0.0.0.0"), true);
  // A peer may connect from any 127.x address, so one address is not enough.
  assert.equal(covers("127.0.0.1", "127.0.0.1"), false);
  assert.equal(covers("::1", "localhost"), false);
  assert.equal(covers("loopback,private", "0.0.0.0"), false);
  assert.equal(covers("private", "10.0.0.5"), false);
  assert.equal(covers("loopback", "::"), false);
});
