import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { appPortNote, staticFirstNote } from "./start-notes.ts";

test("appPortNote names both ports when the export's port is not the one lsky listens on", () => {
  assert.equal(appPortNote({ port: 3000, fetch() {} }, 8000), "the app's default export sets port 3000; lsky listens on 8000 (set it with --port, PORT or LSKY_PORT)");
  assert.match(appPortNote({ port: "3000", fetch() {} }, 8000) ?? "", /port 3000/);
  assert.equal(appPortNote({ port: 8000, fetch() {} }, 8000), undefined);
  assert.equal(appPortNote({ fetch() {} }, 8000), undefined);
});

test("staticFirstNote speaks only for an app of the user's with a static folder", () => {
  assert.match(staticFirstNote(join(process.cwd(), "public"), "app.ts") ?? "", /^files in \.\/public are served before the app/);
  assert.equal(staticFirstNote("", "app.ts"), undefined);
  assert.equal(staticFirstNote(join(process.cwd(), "public"), undefined), undefined);
});
