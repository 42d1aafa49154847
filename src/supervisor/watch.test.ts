import assert from "node:assert/strict";
import { test } from "node:test";
import { isIgnored } from "./watch.ts";

test("changes under node_modules, .git and dist never reload", () => {
  assert.equal(isIgnored("node_modules/hono/index.js"), true);
  assert.equal(isIgnored(".git/index"), true);
  assert.equal(isIgnored("packages/web/dist/app.js"), true);
  assert.equal(isIgnored("src/routes.ts"), false);
  assert.equal(isIgnored("distance.ts"), false);
});
