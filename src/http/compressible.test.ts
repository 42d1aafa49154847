import assert from "node:assert/strict";
import { test } from "node:test";
import { isCompressibleType } from "./compressible.ts";

test("text and structured text are compressible; media and event streams are not", () => {
  for (const t of ["text/html; charset=utf-8", "TEXT/CSS", "application/json", "application/problem+json", "image/svg+xml", "text/javascript"]) {
    assert.equal(isCompressibleType(t), true, t);
  }
  for (const t of ["image/png", "video/mp4", "font/woff2", "application/zip", "application/octet-stream", "text/event-stream", null, ""]) {
    assert.equal(isCompressibleType(t), false, String(t));
  }
});
