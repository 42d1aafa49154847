import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { mayImportLsky } from "./lsky-reference.ts";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the files into a new folder and answers for its app.mjs. */
function answerFor(files: Record<string, string>): boolean {
  const dir = mkdtempSync(join(tmpdir(), "lsky-reference-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return mayImportLsky(join(dir, "app.mjs"));
}

test("an app that never names lsky, across its relative imports, does not need it served", () => {
  assert.equal(answerFor({
    "app.mjs": 'import { Hono } from "hono";\nimport { routes } from "./lib/routes.js";\nimport "./side";\nexport default { fetch: () => new Response("hi") };\n',
    "lib/routes.js": "export * from '../common/index.mjs';\nexport const routes = [];\n",
    "common/index.mjs": 'const text = "taken from the shelf";\nexport { text };\n',
    "side.ts": "export {};\n",
  }), false);
});

test("an import of lsky anywhere in the relative graph, or of a subpath, needs it served", () => {
  assert.equal(answerFor({ "app.mjs": 'import { tasks } from "lsky";\n' }), true);
  assert.equal(answerFor({ "app.mjs": 'import "./a.js";\n', "a.js": "import './b.js';\n", "b.js": "const { tables } = await import('lsky/tables');\n" }), true);
  assert.equal(answerFor({ "app.mjs": 'const lsky = require("lsky");\n' }), true);
});

test("what cannot be followed errs towards serving it", () => {
  assert.equal(answerFor({ "app.mjs": "const name = pick();\nawait import(name);\n" }), true, "a computed import");
  assert.equal(answerFor({ "app.mjs": "await import(`./routes/${name}.js`);\n" }), true, "a template import");
  assert.equal(answerFor({ "app.mjs": 'import { db } from "#db";\n' }), true, "a package.json imports alias");
  assert.equal(answerFor({ "app.mjs": 'import "./missing.js";\n' }), true, "a file it cannot find");
  assert.equal(answerFor({ "app.mjs": 'import "/srv/common/x.js";\n' }), true, "an absolute path");
  assert.equal(mayImportLsky(join(tmpdir(), "no-such-dir-lsky", "app.mjs")), true, "an entry it cannot read");
});

test("import cycles end", () => {
  assert.equal(answerFor({ "app.mjs": 'import "./a.mjs";\n', "a.mjs": 'import "./app.mjs";\n' }), false);
});
