import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSettings } from "./resolve.ts";

const context = { currentEngine: "node" as const };

test("limits have their documented defaults", () => {
  const { settings } = resolveSettings({ flags: {}, env: {}, context });
  assert.equal(settings.maxHeaderSize, 16 * 1024);
  assert.equal(settings.maxHeaderCount, 100);
  assert.equal(settings.maxUrlLength, 8 * 1024);
  assert.equal(settings.maxBodySize, 8 * 1024 * 1024);
  assert.equal(settings.headerTimeout, 10_000);
  assert.equal(settings.bodyTimeout, 30_000);
  assert.equal(settings.keepAliveTimeout, 5_000);
  assert.equal(settings.requestTimeout, 0);
  assert.equal(settings.denoServer, "native");
});

test("limits come from flags before LSKY_* variables", () => {
  const { settings, sources } = resolveSettings({
    flags: { maxBodySize: "200mb", requestTimeout: "2s" },
    env: { LSKY_MAX_BODY_SIZE: "1gb", LSKY_HEADER_TIMEOUT: "500ms", LSKY_MAX_HEADER_COUNT: "50" },
    context,
  });
  assert.equal(settings.maxBodySize, 200 * 1024 ** 2);
  assert.equal(sources.maxBodySize, "flag");
  assert.equal(settings.requestTimeout, 2000);
  assert.equal(settings.headerTimeout, 500);
  assert.equal(sources.headerTimeout, "env");
  assert.equal(settings.maxHeaderCount, 50);
});

test("a bad limit fails with the setting, the value and what is allowed", () => {
  assert.throws(() => resolveSettings({ flags: { maxBodySize: "lots" }, env: {}, context }),
    /Invalid value "lots" for --max-body-size: expected a size such as "16kb"/);
  assert.throws(() => resolveSettings({ flags: {}, env: { LSKY_HEADER_TIMEOUT: "0" }, context }),
    /Invalid value "0" for LSKY_HEADER_TIMEOUT: expected a duration above 0/);
  assert.throws(() => resolveSettings({ flags: { denoServer: "fast" }, env: {}, context }),
    /Invalid value "fast" for --deno-server: expected one of "node", "native"/);
});
