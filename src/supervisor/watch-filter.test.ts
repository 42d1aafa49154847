import assert from "node:assert/strict";
import { test } from "node:test";
import { createWatchFilter } from "./watch-filter.ts";

test("sources and config files reload; data, logs and uploads do not", () => {
  const filter = createWatchFilter({ ignore: [] });
  for (const path of ["app.ts", "src/a.tsx", "b.js", "c.jsx", "d.mjs", "e.cjs", "f.mts", "g.cts", "data/routes.json",
    "lsky.config.ts", "tsconfig.json", "deno.json", "deno.jsonc", "package.json", ".env", ".env.local"]) {
    assert.equal(filter.reloadsOn(path), true, path);
  }
  for (const path of ["out.log", "app.sqlite", "app.sqlite-journal", "uploads/photo.png", "README.md", ".ts", "notes.tsbak"]) {
    assert.equal(filter.reloadsOn(path), false, path);
  }
});

test("node_modules, .git, dist and .lsky are never entered, whatever the patterns say", () => {
  const filter = createWatchFilter({ ignore: ["!node_modules"], gitignore: "!dist/" });
  for (const dir of ["node_modules", ".git", "dist", "packages/web/dist", ".lsky"]) {
    assert.equal(filter.skipsDirectory(dir), true, dir);
  }
  assert.equal(filter.reloadsOn("node_modules/hono/index.js"), false);
  assert.equal(filter.skipsDirectory("distance"), false);
  assert.equal(filter.reloadsOn("distance.ts"), true);
});

test("--watch-ignore and .gitignore exclude; .gitignore does not hide config files", () => {
  const filter = createWatchFilter({ ignore: ["generated/", "*.gen.ts"], gitignore: "build/\n*.local.ts\n.env*\n" });
  assert.equal(filter.skipsDirectory("generated"), true);
  assert.equal(filter.skipsDirectory("build"), true);
  assert.equal(filter.reloadsOn("src/routes.gen.ts"), false);
  assert.equal(filter.reloadsOn("settings.local.ts"), false);
  assert.equal(filter.reloadsOn(".env"), true, ".env is gitignored because it is edited locally");
  assert.equal(filter.reloadsOn("src/routes.ts"), true);
});

test("lsky's own output never reloads, even with a watched extension", () => {
  const filter = createWatchFilter({ ignore: [], ownFiles: ["run/lsky.pid.json", "out.log"] });
  assert.equal(filter.reloadsOn("run/lsky.pid.json"), false);
  assert.equal(filter.reloadsOn("run/other.json"), true);
});
