import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { SETTINGS } from "./options.ts";
import { withSettingsTable } from "./config-docs.ts";

const DOC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "CONFIGURATION.md");

test("docs/CONFIGURATION.md lists every setting as src/config/options.ts defines it", () => {
  const doc = readFileSync(DOC, "utf8");
  assert.equal(doc, withSettingsTable(doc), "the settings table is out of date: run npm run docs:config");
  for (const spec of SETTINGS) assert.ok(doc.includes(`--${spec.flag}`), `--${spec.flag} is missing`);
});
