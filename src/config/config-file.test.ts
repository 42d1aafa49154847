import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { findConfigFile, loadConfigFile } from "./config-file.ts";

const root = mkdtempSync(join(tmpdir(), "lsky-config-file-"));
after(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string, files: Record<string, string>): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

function rejects(code: number, pattern: RegExp) {
  return (error: unknown) => error instanceof LskyError && error.exitCode === code && pattern.test(error.message);
}

describe("findConfigFile", () => {
  test("prefers lsky.config.ts, finds none in an empty directory, and fails on a missing named file", () => {
    const both = dir("both", { "lsky.config.json": "{}", "lsky.config.ts": "export default {}" });
    assert.equal(findConfigFile(undefined, both), join(both, "lsky.config.ts"));
    assert.equal(findConfigFile(undefined, dir("empty", {})), undefined);
    assert.throws(() => findConfigFile("missing.ts", both), rejects(2, /Cannot read config file "missing\.ts": no such file/));
  });
});

describe("loadConfigFile", () => {
  test("reads JSON, resolving the entry against the file's directory", async () => {
    const json = dir("json", { "lsky.config.json": '{ "entry": "src/app.ts", "workers": 2 }' });
    const loaded = await loadConfigFile(join(json, "lsky.config.json"));
    assert.deepEqual(loaded, { path: join(json, "lsky.config.json"), entry: join(json, "src", "app.ts"), settings: { workers: 2 } });
  });

  test("serves the \"lsky\" import itself where the package is not installed, leaving no copy behind", async () => {
    const ts = dir("ts", {
      "lsky.config.mjs": 'import { defineConfig } from "lsky";\nimport { port } from "./port.mjs";\nexport default defineConfig({ port });\n',
      "port.mjs": "export const port = 8123;\n",
    });
    assert.deepEqual((await loadConfigFile(join(ts, "lsky.config.mjs"))).settings, { port: 8123 });
    assert.deepEqual(readdirSync(ts).sort(), ["lsky.config.mjs", "port.mjs"]);
  });

  test("fails with exit code 1 when the module throws, and 2 for bad JSON or no default export", async () => {
    const bad = dir("bad", {
      "throws.mjs": 'throw new TypeError("nope");\n',
      "broken.json": "{ port: }",
      "nodefault.mjs": "export const port = 1;\n",
    });
    await assert.rejects(loadConfigFile(join(bad, "throws.mjs")), rejects(1, /it threw TypeError: nope/));
    await assert.rejects(loadConfigFile(join(bad, "broken.json")), rejects(2, /Cannot read config file broken\.json/));
    await assert.rejects(loadConfigFile(join(bad, "nodefault.mjs")), rejects(2, /it has no default export/));
  });
});
