import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseStaticDir } from "./static-dir.ts";

test("empty and off words turn static files off", () => {
  for (const text of ["", "  ", "off", "OFF", "false", "no", "none"]) assert.equal(parseStaticDir(text), "", text);
});

test("a folder becomes an absolute path; a missing folder or a file is refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-static-dir-"));
  try {
    writeFileSync(join(dir, "file.txt"), "x");
    assert.equal(parseStaticDir(dir), dir);
    assert.equal(parseStaticDir(`${dir}/./`), dir);
    assert.throws(() => parseStaticDir(join(dir, "missing")), /expected a directory/);
    assert.throws(() => parseStaticDir(join(dir, "file.txt")), /expected a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
