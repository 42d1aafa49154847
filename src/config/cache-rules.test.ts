import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheControlFor, compileCacheRules, parseCacheRules } from "./cache-rules.ts";

test("parses rules separated by semicolons, with comma-listed patterns", () => {
  assert.deepEqual(parseCacheRules("*.js,*.css=public, max-age=31536000, immutable; *.html=no-cache"), [
    { pattern: "*.js", value: "public, max-age=31536000, immutable" },
    { pattern: "*.css", value: "public, max-age=31536000, immutable" },
    { pattern: "*.html", value: "no-cache" },
  ]);
  assert.deepEqual(parseCacheRules(""), []);
});

test("rejects rules without a pattern or a value", () => {
  assert.throws(() => parseCacheRules("no-cache"), RangeError);
  assert.throws(() => parseCacheRules("=no-cache"), RangeError);
  assert.throws(() => parseCacheRules("*.js="), RangeError);
});

test("matches by file name, by path, and with ** across folders; first match wins", () => {
  const rules = compileCacheRules(parseCacheRules(
    "assets/**=public, max-age=600; *.html=no-cache; img/*.png=private; **/*.txt=max-age=1; *=max-age=60",
  ));
  assert.equal(cacheControlFor(rules, "assets/a/b/c.js"), "public, max-age=600");
  assert.equal(cacheControlFor(rules, "docs/index.html"), "no-cache");
  assert.equal(cacheControlFor(rules, "img/logo.png"), "private");
  assert.equal(cacheControlFor(rules, "img/sub/logo.png"), "max-age=60");
  assert.equal(cacheControlFor(rules, "a.txt"), "max-age=1");
  assert.equal(cacheControlFor(rules, "x/y/a.txt"), "max-age=1");
  assert.equal(cacheControlFor(compileCacheRules([{ pattern: "*.js", value: "v" }]), "app.json"), undefined);
  assert.equal(cacheControlFor(compileCacheRules([{ pattern: "a?.css", value: "v" }]), "x/ab.css"), "v");
});
