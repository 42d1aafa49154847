import assert from "node:assert/strict";
import { test } from "node:test";
import { MissMemo } from "./miss-memo.ts";

function clock(start = 1000) {
  const c = { now: start, read: () => c.now };
  return c;
}

test("a miss is remembered until its time lapses, then forgotten", () => {
  const time = clock();
  const memo = new MissMemo(1000, 10, time.read);
  assert.equal(memo.has("/api"), false);
  memo.add("/api");
  assert.equal(memo.has("/api"), true);
  time.now += 999;
  assert.equal(memo.has("/api"), true);
  time.now += 1;
  assert.equal(memo.has("/api"), false);
  assert.equal(memo.size, 0, "a lapsed entry is dropped when looked up");
});

test("other paths are not affected", () => {
  const memo = new MissMemo(1000, 10, clock().read);
  memo.add("/a");
  assert.equal(memo.has("/b"), false);
});

test("when full it starts over instead of growing", () => {
  const memo = new MissMemo(1000, 3, clock().read);
  for (const key of ["/1", "/2", "/3"]) memo.add(key);
  assert.equal(memo.size, 3);
  memo.add("/4");
  assert.equal(memo.size, 1);
  assert.equal(memo.has("/1"), false);
  assert.equal(memo.has("/4"), true);
});
