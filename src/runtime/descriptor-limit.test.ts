import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseProcLimits, readDescriptorLimit } from "./descriptor-limit.ts";

describe("parseProcLimits", () => {
  test("reads the soft and hard limit of open files", () => {
    const text = "Limit                     Soft Limit           Hard Limit           Units     \n" +
      "Max processes             63432                63432                processes \n" +
      "Max open files            1024                 524288               files     \n";
    assert.deepEqual(parseProcLimits(text), { soft: 1024, hard: 524288 });
  });

  test("unlimited is Infinity; a missing row is undefined", () => {
    assert.deepEqual(parseProcLimits("Max open files            unlimited            unlimited            files\n"), { soft: Infinity, hard: Infinity });
    assert.equal(parseProcLimits("Max processes 1 1 processes\n"), undefined);
  });

  test("this process's limit is readable", () => {
    const limit = readDescriptorLimit();
    assert.ok(limit && limit.soft > 0 && limit.hard >= limit.soft);
  });
});
