import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { unixSocketAddress } from "./notify-ffi.ts";

describe("unixSocketAddress", () => {
  test("builds a sockaddr_un for a path: AF_UNIX, the path, a terminating NUL", () => {
    assert.deepEqual([...unixSocketAddress("/run/n")], [1, 0, ...Buffer.from("/run/n"), 0]);
  });

  test("an @ name is abstract: a leading NUL and no terminating one", () => {
    assert.deepEqual([...unixSocketAddress("@sd")], [1, 0, 0, ...Buffer.from("sd")]);
  });

  test("rejects a path longer than sun_path holds", () => {
    assert.throws(() => unixSocketAddress(`/${"x".repeat(107)}`), RangeError);
  });
});
