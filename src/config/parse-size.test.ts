import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSize } from "./parse-value.ts";

test("parseSize reads bytes and binary units in any case", () => {
  assert.equal(parseSize("1024"), 1024);
  assert.equal(parseSize("16kb"), 16 * 1024);
  assert.equal(parseSize("16KiB"), 16 * 1024);
  assert.equal(parseSize("200mb"), 200 * 1024 ** 2);
  assert.equal(parseSize("1gb"), 1024 ** 3);
  assert.equal(parseSize("1.5m"), 1.5 * 1024 ** 2);
  assert.equal(parseSize("10b"), 10);
});

test("parseSize refuses what is not a size, with a message that says what is", () => {
  for (const text of ["", "-1", "ten", "5 tb", "1e6", "mb"]) {
    assert.throws(() => parseSize(text), (e: Error) => e instanceof RangeError && /expected a size such as "16kb"/.test(e.message), text);
  }
  assert.throws(() => parseSize("2mb", 1024 ** 2), /at most 1048576 bytes/);
});
