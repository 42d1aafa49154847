import assert from "node:assert/strict";
import { test } from "node:test";
import { isInside, parseStaticPath } from "./safe-path.ts";

test("plain paths become decoded segments", () => {
  assert.deepEqual(parseStaticPath("/"), { segments: [""] });
  assert.deepEqual(parseStaticPath("/a/b.txt"), { segments: ["a", "b.txt"] });
  assert.deepEqual(parseStaticPath("/docs/"), { segments: ["docs", ""] });
  assert.deepEqual(parseStaticPath("/hello%20world.txt"), { segments: ["hello world.txt"] });
  assert.deepEqual(parseStaticPath("/.well-known/x"), { segments: [".well-known", "x"] });
});

test("traversal in every spelling is forbidden", () => {
  for (const path of [
    "/../etc/passwd", "/a/../../b", "/%2e%2e/secret", "/%2E%2E/secret", "/.%2e/secret",
    "/%252e%252e/secret", "/a%2f..%2fb", "/a%2F..%2Fsecret", "/..%5csecret", "/a\\..\\b",
    "/%255c..", "/a%00.txt", "/a%2500.txt", "/%ff%fe", "/a//b", "/./a", "relative",
  ]) {
    assert.equal(parseStaticPath(path), "forbidden", path);
  }
});

test("dotfiles are left to the app", () => {
  assert.equal(parseStaticPath("/.env"), "skip");
  assert.equal(parseStaticPath("/a/.git/config"), "skip");
});

test("containment compares whole path segments", () => {
  assert.equal(isInside("/srv/public", "/srv/public"), true);
  assert.equal(isInside("/srv/public", "/srv/public/a/b"), true);
  assert.equal(isInside("/srv/public", "/srv/public-secret/a"), false);
  assert.equal(isInside("/srv/public", "/srv/secret"), false);
  assert.equal(isInside("/", "/anything"), true);
});
