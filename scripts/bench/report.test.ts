import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { table, writeDocSection } from "./report.ts";

test("writeDocSection replaces only its own section and appends a missing one", () => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-bench-report-"));
  try {
    const page = join(dir, "PAGE.md");
    writeFileSync(page, "# Page\n\nprose\n\n<!-- bench:a:start -->\nold a\n<!-- bench:a:end -->\n\nmore prose\n");
    writeDocSection(page, "a", "new a");
    writeDocSection(page, "b", "new b");
    assert.equal(readFileSync(page, "utf8"),
      "# Page\n\nprose\n\n<!-- bench:a:start -->\nnew a\n<!-- bench:a:end -->\n\nmore prose\n\n<!-- bench:b:start -->\nnew b\n<!-- bench:b:end -->\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("table: a markdown table with a rule under the head", () => {
  assert.equal(table(["a", "b"], [["1", "2"]]), "| a | b |\n| --- | --- |\n| 1 | 2 |");
});
