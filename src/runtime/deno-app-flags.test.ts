import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { denoAppConfig } from "./deno-app-flags.ts";

test("denoAppConfig: the app's deno.json, else node_modules and tsconfig JSX, else nothing", () => {
  const root = mkdtempSync(join(tmpdir(), "lsky-deno-flags-"));
  try {
    const withDeno = join(root, "deno-app");
    mkdirSync(withDeno);
    writeFileSync(join(withDeno, "deno.jsonc"), "{}");
    assert.equal(denoAppConfig(join(withDeno, "main.ts")).config, join(withDeno, "deno.jsonc"));

    const npmApp = join(root, "npm-app");
    mkdirSync(join(npmApp, "node_modules"), { recursive: true });
    writeFileSync(join(npmApp, "tsconfig.json"), '{ "compilerOptions": { "jsx": "react-jsx", "jsxImportSource": "hono/jsx" } }');
    assert.deepEqual(denoAppConfig(join(npmApp, "app.tsx")).generated, {
      nodeModulesDir: "manual",
      compilerOptions: { jsx: "react-jsx", jsxImportSource: "hono/jsx" },
    });

    const bare = join(root, "bare");
    mkdirSync(bare);
    assert.equal(denoAppConfig(join(bare, "app.ts")).generated, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("denoAppConfig: \"lsky\" maps to the facade unless lsky is installed or the app has its own deno.json", () => {
  const root = mkdtempSync(join(tmpdir(), "lsky-deno-flags-"));
  const facade = () => "file:///run/lsky-app.mjs";
  try {
    const bare = join(root, "bare");
    mkdirSync(bare);
    assert.deepEqual(denoAppConfig(join(bare, "app.ts"), facade).generated, {
      imports: { lsky: "file:///run/lsky-app.mjs" },
      nodeModulesDir: "manual",
    });

    const honoOnly = join(root, "hono-only");
    mkdirSync(join(honoOnly, "node_modules", "hono"), { recursive: true });
    assert.deepEqual(denoAppConfig(join(honoOnly, "app.ts"), facade).generated, {
      nodeModulesDir: "manual",
      imports: { lsky: "file:///run/lsky-app.mjs" },
    });

    const installed = join(root, "installed");
    mkdirSync(join(installed, "node_modules", "lsky"), { recursive: true });
    writeFileSync(join(installed, "node_modules", "lsky", "package.json"), '{"name":"lsky"}');
    assert.deepEqual(denoAppConfig(join(installed, "app.ts"), facade).generated, { nodeModulesDir: "manual" });

    const withDeno = join(root, "deno-app");
    mkdirSync(withDeno);
    writeFileSync(join(withDeno, "deno.json"), "{}");
    assert.equal(denoAppConfig(join(withDeno, "main.ts"), facade).generated, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
