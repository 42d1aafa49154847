import assert from "node:assert/strict";
import { test } from "node:test";
import { skipUnless } from "./system-tools.ts";

test("a tool that is there never skips", () => {
  assert.equal(skipUnless(true, "ip", { root: false, ci: false }), false);
});

test("root or CI: a missing tool fails with the fix instead of skipping", () => {
  assert.throws(() => skipUnless(false, "unshare", { root: true, ci: false }), /unshare: not available although this run is root; run scripts\/install-system-deps\.sh/);
  assert.throws(() => skipUnless(false, "ip", { root: false, ci: true }), /this run is in CI/);
});

test("unprivileged outside CI: skipped, with the reason", () => {
  assert.equal(skipUnless(false, "ip", { root: false, ci: false }), "needs ip (unprivileged run outside CI)");
});
