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
  assert.equal(contentTypeFor("archive.notatype"), DEFAULT_TYPE);
  assert.equal(contentTypeFor("README"), DEFAULT_TYPE);
  assert.equal(contentTypeFor("dir.d/README"), DEFAULT_TYPE);
  assert.equal(contentTypeFor(".htaccess"), DEFAULT_TYPE);
});

test("common extensions beyond the old built-in table come from mime-db", () => {
  assert.equal(contentTypeFor("live/index.m3u8"), "application/vnd.apple.mpegurl");
  assert.equal(contentTypeFor("font.eot"), "application/vnd.ms-fontobject");
  assert.equal(contentTypeFor("page.xhtml"), "application/xhtml+xml; charset=utf-8");
  assert.equal(contentTypeFor("feed.rss"), "application/rss+xml; charset=utf-8");
  assert.equal(contentTypeFor("feed.atom"), "application/atom+xml; charset=utf-8");
  assert.equal(contentTypeFor("config.yaml"), "text/yaml; charset=utf-8");
  assert.equal(contentTypeFor("config.yml"), "text/yaml; charset=utf-8");
  assert.equal(contentTypeFor("stream.mpd"), "application/dash+xml; charset=utf-8");
  assert.equal(contentTypeFor("image.apng"), "image/apng");
  assert.equal(contentTypeFor("book.epub"), "application/epub+zip");
});

test("lsky's choices where mime-db offers another type", () => {
  assert.equal(contentTypeFor("app.js"), "text/javascript; charset=utf-8");
  assert.equal(contentTypeFor("app.cjs"), "text/javascript; charset=utf-8");
  assert.equal(contentTypeFor("app.js.map"), "application/json; charset=utf-8");
  assert.equal(contentTypeFor("sitemap.xml"), "application/xml; charset=utf-8");
  assert.equal(contentTypeFor("favicon.ico"), "image/x-icon");
  assert.equal(contentTypeFor("sound.wav"), "audio/wav");
  assert.equal(contentTypeFor("sound.flac"), "audio/flac");
});

test("every type the old built-in table knew is unchanged", () => {
  const expected: Record<string, string> = {
    html: "text/html; charset=utf-8", htm: "text/html; charset=utf-8", css: "text/css; charset=utf-8",
    txt: "text/plain; charset=utf-8", csv: "text/csv; charset=utf-8", md: "text/markdown; charset=utf-8",
    ics: "text/calendar; charset=utf-8", vtt: "text/vtt; charset=utf-8", mjs: "text/javascript; charset=utf-8",
    jsonld: "application/ld+json; charset=utf-8", webmanifest: "application/manifest+json; charset=utf-8",
    pdf: "application/pdf", zip: "application/zip", gz: "application/gzip", tar: "application/x-tar",
    png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
    avif: "image/avif", bmp: "image/bmp", woff: "font/woff", ttf: "font/ttf", otf: "font/otf",
    mp3: "audio/mpeg", ogg: "audio/ogg", m4a: "audio/mp4", mp4: "video/mp4", webm: "video/webm",
    ogv: "video/ogg", mov: "video/quicktime",
  };
  for (const [extension, type] of Object.entries(expected)) assert.equal(contentTypeFor(`f.${extension}`), type, extension);
});
