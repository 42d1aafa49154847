import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DASHBOARD_ASSETS } from "./_assets.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

test("the embedded assets match src/dashboard/assets/ and vendor/uplot/", () => {
  const check = spawnSync(process.execPath, [join(ROOT, "build", "dashboard-assets.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(check.status, 0, check.stderr);
});

test("the page loads nothing from another host", () => {
  const page = DASHBOARD_ASSETS["/"]!.body;
  const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(sources.length >= 4);
  for (const source of sources) assert.match(source, /^(\/[\w./-]*|data:,)$/, source);
  for (const path of sources.filter((s) => s.startsWith("/"))) assert.ok(DASHBOARD_ASSETS[path], `${path} is embedded`);
});
