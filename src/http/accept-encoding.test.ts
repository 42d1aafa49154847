import assert from "node:assert/strict";
import { test } from "node:test";
import { negotiateEncoding } from "./accept-encoding.ts";

const all = ["br", "zstd", "gzip"] as const;

test("server preference breaks ties among equal q-values", () => {
  assert.equal(negotiateEncoding("gzip, deflate, br, zstd", all), "br");
  assert.equal(negotiateEncoding("gzip, zstd", all), "zstd");
  assert.equal(negotiateEncoding("gzip, br", ["gzip"]), "gzip");
});

test("q-values decide first; q=0 refuses", () => {
  assert.equal(negotiateEncoding("br;q=0.5, gzip;q=0.8", all), "gzip");
  assert.equal(negotiateEncoding("br;q=0, gzip", all), "gzip");
  assert.equal(negotiateEncoding("gzip;q=0", ["gzip"]), undefined);
  assert.equal(negotiateEncoding("x-gzip", ["gzip"]), "gzip");
});

test("* covers codings not named; identity when nothing fits", () => {
  assert.equal(negotiateEncoding("*", all), "br");
  assert.equal(negotiateEncoding("br;q=0, *;q=0.1", all), "zstd");
  assert.equal(negotiateEncoding("identity", all), undefined);
  assert.equal(negotiateEncoding("", all), undefined);
  assert.equal(negotiateEncoding(null, all), undefined);
  assert.equal(negotiateEncoding("deflate", all), undefined);
});
