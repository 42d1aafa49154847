import assert from "node:assert/strict";
import { test } from "node:test";
import type { Coding } from "../accept-encoding.ts";
import type { FoundFile } from "./find-file.ts";
import { HotFiles, textMemory } from "./hot-files.ts";

const NONE: ReadonlyMap<Coding, FoundFile> = new Map();

function file(path: string, size = 10, mtimeMs = 1000): FoundFile {
  return { path: `/srv/${path}`, relativePath: path, size, mtimeMs };
}

function hotFiles(budgetBytes = 100, maxEntries = 10) {
  let now = 0;
  const files = new HotFiles({ freshMs: 1000, budgetBytes, maxFileBytes: 50, maxEntries, now: () => now });
  const found = (f: FoundFile, siblings = NONE) => ({ file: f, siblings, contentType: "text/plain", cacheControl: undefined });
  return { files, found, at: (ms: number) => void (now = ms) };
}

test("an entry is fresh for freshMs after the last look at the disk", () => {
  const { files, found, at } = hotFiles();
  files.remember("a.txt", found(file("a.txt")));
  at(999);
  assert.ok(files.fresh("a.txt"));
  at(1000);
  assert.equal(files.fresh("a.txt"), undefined);
  assert.equal(files.fresh("b.txt"), undefined);
});

test("looked up again unchanged, an entry keeps its bytes and is fresh again; changed, it starts over", () => {
  const { files, found, at } = hotFiles();
  const first = files.remember("a.txt", found(file("a.txt")));
  first.bytes = new Uint8Array(10);
  files.charge(10);
  at(1500);
  const same = files.remember("a.txt", found(file("a.txt")));
  assert.equal(same, first);
  assert.ok(files.fresh("a.txt"));
  assert.equal(files.bytes, 10);
  const changed = files.remember("a.txt", found(file("a.txt", 11, 2000)));
  assert.notEqual(changed, first);
  assert.equal(changed.bytes, undefined);
  assert.equal(files.bytes, 0);
  assert.equal(changed.validators.etag, '"7d0-b"');
});

test("a precompressed sibling that appears or changes makes a new entry", () => {
  const { files, found } = hotFiles();
  const first = files.remember("a.js", found(file("a.js")));
  const withBrotli = files.remember("a.js", found(file("a.js"), new Map([["br", file("a.js.br", 4)]])));
  assert.notEqual(withBrotli, first);
  assert.equal(withBrotli.siblings.get("br")?.validators.etag, '"3e8-4"');
  const brotliChanged = files.remember("a.js", found(file("a.js"), new Map([["br", file("a.js.br", 5)]])));
  assert.notEqual(brotliChanged, withBrotli);
});

test("past the budget the oldest entries go first; compressed forms count too", () => {
  const { files, found } = hotFiles(100);
  for (const name of ["a", "b", "c"]) {
    const entry = files.remember(name, found(file(name)));
    entry.bytes = new Uint8Array(40);
    files.charge(40);
  }
  assert.equal(files.fresh("a"), undefined);
  assert.ok(files.fresh("b") && files.fresh("c"));
  assert.equal(files.bytes, 80);
  const c = files.fresh("c")!;
  c.compressed.set("gzip", new Uint8Array(30));
  files.charge(30);
  assert.equal(files.fresh("b"), undefined);
  assert.equal(files.bytes, 70);
});

test("keeps only files within the per-file limit and the budget", () => {
  assert.equal(hotFiles(100).files.keeps(50), true);
  assert.equal(hotFiles(100).files.keeps(51), false);
  assert.equal(hotFiles(0).files.keeps(1), false);
});

test("past the bound on paths the oldest goes, and its bytes with it", () => {
  const { files, found } = hotFiles(100, 2);
  const a = files.remember("a", found(file("a")));
  a.bytes = new Uint8Array(10);
  files.charge(10);
  files.remember("b", found(file("b")));
  files.remember("b", found(file("b")));
  assert.ok(files.fresh("a"));
  files.remember("c", found(file("c")));
  assert.equal(files.fresh("a"), undefined);
  assert.ok(files.fresh("b") && files.fresh("c"));
  assert.equal(files.bytes, 0);
});

test("a kept text form counts against the budget and is given back with its entry", () => {
  const { files, found, at } = hotFiles();
  const entry = files.remember("a.txt", found(file("a.txt")));
  entry.bytes = new Uint8Array(10);
  entry.text = "0123456789";
  files.charge(10 + textMemory(entry.text));
  assert.equal(files.bytes, 20);
  at(1500);
  files.remember("a.txt", found(file("a.txt", 12, 2000)));
  assert.equal(files.bytes, 0);
});

test("a string takes a byte a character up to Latin-1 and two beyond", () => {
  assert.equal(textMemory("caf\u00e9"), 4);
  assert.equal(textMemory("\u2603 snow"), 12);
});
