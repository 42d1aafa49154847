import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseJsonc } from "./app-config-files.ts";
import { jsxPragma, jsxSettingsFor } from "./tsconfig-jsx.ts";

test("parseJsonc reads comments and trailing commas, and keeps // inside strings", () => {
  assert.deepEqual(parseJsonc('{ // c\n "a": "http://x/*y*/", /* b */ "b": [1, 2,], }'), { a: "http://x/*y*/", b: [1, 2] });
  assert.equal(parseJsonc("{ nope"), undefined);
});

test("jsxPragma: Hono's automatic runtime, a classic factory, and nothing for React's default", () => {
  assert.equal(jsxPragma({ jsx: "react-jsx", jsxImportSource: "hono/jsx" }), "/** @jsxRuntime automatic @jsxImportSource hono/jsx */ ");
  assert.equal(jsxPragma({ jsx: "react", jsxFactory: "h", jsxFragmentFactory: "Fragment" }), "/** @jsxRuntime classic @jsx h @jsxFrag Fragment */ ");
  assert.equal(jsxPragma({ jsx: "react-jsx" }), "");
  assert.equal(jsxPragma({ jsx: "preserve", jsxImportSource: "hono/jsx" }), "");
});

test("jsxSettingsFor finds the nearest tsconfig.json and follows a relative extends", () => {
  const root = mkdtempSync(join(tmpdir(), "lsky-tsconfig-"));
  try {
    mkdirSync(join(root, "app", "src"), { recursive: true });
    writeFileSync(join(root, "base.json"), '{ "compilerOptions": { "jsx": "react-jsx", "jsxImportSource": "hono/jsx" } }');
    writeFileSync(join(root, "app", "tsconfig.json"), '{ "extends": "../base.json", // shared\n "compilerOptions": { "strict": true, } }');
    assert.deepEqual(jsxSettingsFor(join(root, "app", "src", "index.tsx")), { jsx: "react-jsx", jsxImportSource: "hono/jsx" });
    assert.deepEqual(jsxSettingsFor(join(root, "index.tsx")), {});
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
