import assert from "node:assert/strict";
import { test } from "node:test";
import { redactedUrl } from "./cluster.ts";

test("the Redis URL is logged without its password", () => {
  assert.equal(redactedUrl("redis://:s3cret@10.0.0.5:6379/1"), "redis://:***@10.0.0.5:6379/1");
  assert.equal(redactedUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
});
