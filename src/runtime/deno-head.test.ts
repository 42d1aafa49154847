import assert from "node:assert/strict";
import { test } from "node:test";
import { checkDenoHead } from "./deno-head.ts";

const LIMITS = { maxHeaderSize: 16_384, maxHeaderCount: 100, maxUrlLength: 8192, maxBodySize: 1000 };

test("without Deno.serve's field list (any other Request) the limits stage is left to check", () => {
  assert.equal(checkDenoHead(new Request("http://x/", { headers: { host: "x" } }), LIMITS), undefined);
});
