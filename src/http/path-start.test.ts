import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pathStartOf } from "./path-start.ts";

describe("pathStartOf", () => {
  it("skips the scheme and the authority", () => {
    const url = "http://example.com:8080/a/b?c=/d";
    assert.equal(url.slice(pathStartOf(url)), "/a/b?c=/d");
  });

  it("finds the root path", () => {
    const url = "https://[::1]/";
    assert.equal(url.slice(pathStartOf(url)), "/");
  });

  it("is -1 for a URL with nothing after its authority", () => {
    assert.equal(pathStartOf("http://example.com"), -1);
  });
});
