import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRange } from "./range.ts";

test("single ranges: closed, open-ended, suffix, clamped", () => {
  assert.deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
  assert.deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange("bytes=-500", 100), { start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=50-5000", 100), { start: 50, end: 99 });
  assert.deepEqual(parseRange("Bytes = 1 - 2", 100), { start: 1, end: 2 });
});

test("ranges outside the file are unsatisfiable", () => {
  assert.equal(parseRange("bytes=100-", 100), "unsatisfiable");
  assert.equal(parseRange("bytes=200-300", 100), "unsatisfiable");
  assert.equal(parseRange("bytes=-0", 100), "unsatisfiable");
  assert.equal(parseRange("bytes=0-0", 0), "unsatisfiable");
  assert.equal(parseRange("bytes=-5", 0), "unsatisfiable");
});

test("absent, malformed, other units and multiple ranges are ignored", () => {
  assert.equal(parseRange(null, 100), undefined);
  assert.equal(parseRange("bytes=5-1", 100), undefined);
  assert.equal(parseRange("bytes=-", 100), undefined);
  assert.equal(parseRange("items=0-1", 100), undefined);
  assert.equal(parseRange("bytes=0-1,5-6", 100), undefined);
  assert.equal(parseRange("bytes=a-b", 100), undefined);
});
