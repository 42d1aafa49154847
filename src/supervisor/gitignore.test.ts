import assert from "node:assert/strict";
import { test } from "node:test";
import { isPathIgnored, parseIgnoreRules } from "./gitignore.ts";

function ignores(patterns: string, path: string, isDirectory = false): boolean {
  return isPathIgnored(parseIgnoreRules(patterns), path, isDirectory);
}

test("a name without a slash matches at any depth; comments and blanks are skipped", () => {
  const rules = "# data\n\n*.sqlite\nuploads\n";
  assert.equal(ignores(rules, "app.sqlite"), true);
  assert.equal(ignores(rules, "data/app.sqlite"), true);
  assert.equal(ignores(rules, "uploads/a.ts"), true);
  assert.equal(ignores(rules, "src/uploads/a.ts"), true);
  assert.equal(ignores(rules, "app.ts"), false);
  assert.equal(ignores(rules, "# data"), false);
});

test("a leading or middle slash anchors to the base directory", () => {
  assert.equal(ignores("/build", "build/x.js"), true);
  assert.equal(ignores("/build", "src/build/x.js"), false);
  assert.equal(ignores("src/gen", "src/gen/x.ts"), true);
  assert.equal(ignores("src/gen", "lib/src/gen/x.ts"), false);
});

test("a trailing slash matches directories only", () => {
  assert.equal(ignores("cache/", "cache", false), false);
  assert.equal(ignores("cache/", "cache", true), true);
  assert.equal(ignores("cache/", "cache/x.ts"), true);
});

test("* and ? stay within one segment; ** spans directories; classes", () => {
  assert.equal(ignores("src/*.gen.ts", "src/a.gen.ts"), true);
  assert.equal(ignores("src/*.gen.ts", "src/deep/a.gen.ts"), false);
  assert.equal(ignores("**/fixtures/*.json", "fixtures/a.json"), true);
  assert.equal(ignores("**/fixtures/*.json", "a/b/fixtures/a.json"), true);
  assert.equal(ignores("a/**/z.ts", "a/z.ts"), true);
  assert.equal(ignores("a/**/z.ts", "a/b/c/z.ts"), true);
  assert.equal(ignores("logs/**", "logs/x/y.ts"), true);
  assert.equal(ignores("file?.ts", "file1.ts"), true);
  assert.equal(ignores("file?.ts", "file10.ts"), false);
  assert.equal(ignores("v[0-9].ts", "v3.ts"), true);
  assert.equal(ignores("v[!0-9].ts", "v3.ts"), false);
  assert.equal(ignores("v[!0-9].ts", "vx.ts"), true);
});

test("negation re-includes a file, but not one inside an ignored directory", () => {
  assert.equal(ignores("*.json\n!package.json", "package.json"), false);
  assert.equal(ignores("*.json\n!package.json", "data.json"), true);
  assert.equal(ignores("out/\n!out/keep.ts", "out/keep.ts"), true);
});

test("escapes and trailing spaces", () => {
  assert.equal(ignores("\\#notes.ts", "#notes.ts"), true);
  assert.equal(ignores("\\!important.ts", "!important.ts"), true);
  assert.equal(ignores("tmp.ts   ", "tmp.ts"), true);
  assert.equal(ignores("a.b", "axb"), false, "a dot is literal");
});
