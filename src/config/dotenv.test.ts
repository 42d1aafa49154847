import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { loadDotenvFiles, parseDotenv } from "./dotenv.ts";

describe("parseDotenv", () => {
  test("reads plain pairs, skipping blank lines and comments", () => {
    assert.deepEqual(parseDotenv("A=1\n\n# note\nB = two words \n"), { A: "1", B: "two words" });
  });

  test("accepts an export prefix and CRLF line ends", () => {
    assert.deepEqual(parseDotenv("export A=1\r\nexport  B=2\r\n"), { A: "1", B: "2" });
  });

  test("cuts an inline comment from an unquoted value, as dotenv does (also right after a word)", () => {
    assert.deepEqual(parseDotenv("A=1 # one\nB=a#b\nC='a#b'"), { A: "1", B: "a", C: "a#b" });
  });

  test("takes single-quoted values literally, and lets them span lines", () => {
    assert.deepEqual(parseDotenv("A='x \\n # y'"), { A: "x \\n # y" });
    assert.deepEqual(parseDotenv("KEY='-----BEGIN\nabc\n-----END'\nNEXT=1"), { KEY: "-----BEGIN\nabc\n-----END", NEXT: "1" });
  });

  test("expands only \\n and \\r in double quotes; \\t and the rest stay as typed", () => {
    assert.deepEqual(parseDotenv('A="line1\\nline2\\r"'), { A: "line1\nline2\r" });
    assert.deepEqual(parseDotenv('A="tab\\there"'), { A: "tab\\there" });
  });

  test("lets a double-quoted value span lines", () => {
    assert.deepEqual(parseDotenv('KEY="-----BEGIN\nabc\n-----END"\nNEXT=1'), { KEY: "-----BEGIN\nabc\n-----END", NEXT: "1" });
  });

  test("takes backtick-quoted values literally, so they may hold both other quotes", () => {
    assert.deepEqual(parseDotenv('A=`it\'s "quoted" \\n`'), { A: 'it\'s "quoted" \\n' });
  });

  test("keeps an empty value and lets later lines win", () => {
    assert.deepEqual(parseDotenv("A=\nB=1\nB=2"), { A: "", B: "2" });
  });

  test("skips a line that is not KEY=value instead of failing", () => {
    assert.deepEqual(parseDotenv("A=1\nnot a pair\nB=2"), { A: "1", B: "2" });
  });
});

describe("loadDotenvFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-dotenv-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, ".env"), "A=from-env\nB=from-env\nC=from-env\n");
  writeFileSync(join(dir, ".env.staging"), "B=from-staging\n");

  test("never overrides the real environment, and .env.NAME beats .env", () => {
    const env: Record<string, string | undefined> = { C: "real" };
    const loaded = loadDotenvFiles(dir, "staging", env);
    assert.deepEqual(env, { A: "from-env", B: "from-staging", C: "real" });
    assert.deepEqual(loaded.map((f) => f.applied), [["A"], ["B"]]);
  });

  test("is a no-op without files, and fails when the named environment has none", () => {
    const empty = mkdtempSync(join(tmpdir(), "lsky-dotenv-"));
    assert.deepEqual(loadDotenvFiles(empty, undefined, {}), []);
    assert.throws(() => loadDotenvFiles(empty, "prod", {}), (e: unknown) => e instanceof LskyError && e.exitCode === 2);
    rmSync(empty, { recursive: true });
  });
});
