import assert from "node:assert/strict";
import { test } from "node:test";
import { replaceDenoUrl } from "./deno-request-url.ts";

// The shape of Deno's Request that matters here: the URL cached in an own
// symbol-keyed property on first read, and a clone that does not copy it.
const URL_CACHE = Symbol("url");
class CachingRequest {
  [URL_CACHE]: string | null = null;
  constructor(private readonly connectionUrl: string) {}
  get url(): string {
    return (this[URL_CACHE] ??= this.connectionUrl);
  }
  clone(): CachingRequest {
    return new CachingRequest(this.connectionUrl);
  }
}

test("the URL is set in the request's own cache, and a clone (of a clone) keeps it", () => {
  const request = new CachingRequest("http://127.0.0.1:8080/a?b") as unknown as Request;
  assert.equal(replaceDenoUrl(request, "https://shop.example/a?b"), request);
  assert.equal(request.url, "https://shop.example/a?b");
  assert.equal(request.clone().url, "https://shop.example/a?b");
  assert.equal(request.clone().clone().url, "https://shop.example/a?b");
});

test("a request without the cache is left to the engine-neutral way", () => {
  const request = new Request("http://127.0.0.1:8080/a");
  assert.equal(replaceDenoUrl(request, "https://shop.example/a"), undefined);
  assert.equal(request.url, "http://127.0.0.1:8080/a");
});
