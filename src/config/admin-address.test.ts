import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAdminAddress } from "./admin-address.ts";

test("parses host:port, [ipv6]:port, :port and a bare port", () => {
  assert.deepEqual(parseAdminAddress("127.0.0.1:9000"), { host: "127.0.0.1", port: 9000 });
  assert.deepEqual(parseAdminAddress("[::1]:9000"), { host: "::1", port: 9000 });
  assert.deepEqual(parseAdminAddress(":9000"), { host: "127.0.0.1", port: 9000 });
  assert.deepEqual(parseAdminAddress("9000"), { host: "127.0.0.1", port: 9000 });
});

test("rejects what is not an address with a port", () => {
  for (const bad of ["", "localhost", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:70000", "::1:9000", "x:y"]) {
    assert.throws(() => parseAdminAddress(bad), RangeError, bad);
  }
});
