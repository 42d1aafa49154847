import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { resolveSettings } from "./resolve.ts";

const context = { currentEngine: "node" as const };

describe("resolveSettings precedence", () => {
  test("flag beats environment beats file beats default", () => {
    const { settings, sources } = resolveSettings({
      flags: { port: "1001" },
      env: { LSKY_PORT: "1002", LSKY_WORKERS: "3" },
      file: { port: 1003, workers: 4, maxRequests: 10 },
      context,
    });
    assert.deepEqual([settings.port, settings.workers, settings.maxRequests, settings.ttl], [1001, 3, 10, 0]);
    assert.deepEqual([sources.port, sources.workers, sources.maxRequests, sources.ttl], ["flag", "env", "file", "default"]);
  });

  test("an empty environment variable counts as unset", () => {
    const { settings, sources } = resolveSettings({ flags: {}, env: { LSKY_PORT: "" }, file: { port: 1003 }, context });
    assert.equal(settings.port, 1003);
    assert.equal(sources.port, "file");
  });

  test("the default of runtime is the engine lsky runs on", () => {
    assert.equal(resolveSettings({ flags: {}, env: {}, context: { currentEngine: "deno" } }).settings.runtime, "deno");
  });

  test("a bad environment value fails with exit code 2, naming the variable", () => {
    assert.throws(
      () => resolveSettings({ flags: {}, env: { LSKY_LOG_FORMAT: "xml" }, context }),
      (e: unknown) => e instanceof LskyError && e.exitCode === 2 && /"xml" for LSKY_LOG_FORMAT/.test(e.message),
    );
  });
});
