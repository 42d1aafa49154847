import assert from "node:assert/strict";
import { test } from "node:test";
import { loadLibc } from "./libc.ts";

test("on Node, which has no FFI, there is no libc and callers take their fallback", async () => {
  assert.equal(await loadLibc("node", { getpid: { args: [], returns: "i32" } }), undefined);
});
