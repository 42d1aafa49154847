import assert from "node:assert/strict";
import { test } from "node:test";
import { contentTypeFor, DEFAULT_TYPE } from "./mime.ts";

test("text types carry charset=utf-8, binary types do not", () => {
  assert.equal(contentTypeFor("index.html"), "text/html; charset=utf-8");
  assert.equal(contentTypeFor("a/b/app.mjs"), "text/javascript; charset=utf-8");
  assert.equal(contentTypeFor("data.json"), "application/json; charset=utf-8");
  assert.equal(contentTypeFor("logo.svg"), "image/svg+xml; charset=utf-8");
  assert.equal(contentTypeFor("photo.JPG"), "image/jpeg");
  assert.equal(contentTypeFor("font.woff2"), "font/woff2");
  assert.equal(contentTypeFor("module.wasm"), "application/wasm");
});

test("unknown, missing and dotfile-only extensions are application/octet-stream", () => {
  assert.equal(contentTypeFor("archive.xyz"), DEFAULT_TYPE);
  assert.equal(contentTypeFor("README"), DEFAULT_TYPE);
  assert.equal(contentTypeFor("dir.d/README"), DEFAULT_TYPE);
  assert.equal(contentTypeFor(".htaccess"), DEFAULT_TYPE);
});
