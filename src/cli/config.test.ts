import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSettings } from "../config/resolve.ts";
import { configReport, formatConfig } from "./config.ts";

test("lsky config shows that the admin token is set, never the token", () => {
  const resolved = resolveSettings({ flags: { adminToken: "flag-token-0123456789abcdef" }, env: {}, context: { currentEngine: "node" } });
  const config = { ...resolved, entrySource: "none" as const, envFiles: [] };
  assert.deepEqual(configReport(config).settings.adminToken, { value: "(set)", source: "flag", flag: "--admin-token", env: ["LSKY_ADMIN_TOKEN"] });
  assert.match(formatConfig(config), /^adminToken\s+\(set\)\s+flag$/m);
  assert.doesNotMatch(JSON.stringify(configReport(config)) + formatConfig(config), /flag-token/);
});

test("an unset token shows as empty", () => {
  const config = { ...resolveSettings({ flags: {}, env: {}, context: { currentEngine: "node" } }), entrySource: "none" as const, envFiles: [] };
  assert.equal(configReport(config).settings.adminToken?.value, "");
  assert.match(formatConfig(config), /^adminToken\s+""\s+default$/m);
});

test("a token shorter than 16 characters is refused", () => {
  assert.throws(() => resolveSettings({ flags: { adminToken: "short" }, env: {}, context: { currentEngine: "node" } }), /at least 16 characters/);
});
