import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { descriptorExhaustionLine, isDescriptorExhaustion, residentMemoryReader } from "./descriptor-pressure.ts";

describe("descriptor pressure", () => {
  test("EMFILE, ENFILE and Bun's message count as exhaustion; other errors do not", () => {
    assert.equal(isDescriptorExhaustion(Object.assign(new Error("x"), { code: "EMFILE" })), true);
    assert.equal(isDescriptorExhaustion(Object.assign(new Error("x"), { code: "ENFILE" })), true);
    assert.equal(isDescriptorExhaustion(new Error("Too many open files")), true);
    assert.equal(isDescriptorExhaustion(Object.assign(new Error("x"), { code: "ENOENT" })), false);
  });

  test("the line names the limit and the fix", () => {
    assert.match(descriptorExhaustionLine(1024, false), /^too many open files: the limit is 1024; raise it with ulimit -n \(LimitNOFILE= /);
    assert.match(descriptorExhaustionLine(undefined, false), /the limit is unknown/);
    assert.match(descriptorExhaustionLine(1024, true), /fs\.file-max/);
  });

  test("a failing memory reading keeps the last value instead of throwing", () => {
    const read = residentMemoryReader();
    const first = read();
    assert.ok(first > 0);
    const original = process.memoryUsage;
    const failing = Object.assign(() => { throw Object.assign(new Error("EMFILE"), { code: "EMFILE" }); }, {
      rss: () => { throw Object.assign(new Error("EMFILE"), { code: "EMFILE" }); },
    });
    process.memoryUsage = failing as unknown as typeof process.memoryUsage;
    try {
      assert.equal(read(), first);
    } finally {
      process.memoryUsage = original;
    }
  });
});
