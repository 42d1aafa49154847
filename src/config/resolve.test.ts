import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { resolveSettings } from "./resolve.ts";

const context = { currentEngine: "node" as const };

describe("resolveSettings", () => {
  test("uses every default when nothing is given", () => {
    const { settings, sources } = resolveSettings({ flags: {}, env: {}, context });
    assert.equal(settings.port, 8000);
    assert.equal(settings.host, "0.0.0.0");
    assert.equal(settings.runtime, "node");
    assert.equal(settings.gracePeriod, 30_000);
    assert.ok(settings.workers >= 1);
    assert.equal(sources.port, "default");
  });

  test("the default engine is the one lsky runs on", () => {
    assert.equal(resolveSettings({ flags: {}, env: {}, context: { currentEngine: "deno" } }).settings.runtime, "deno");
  });

  test("precedence is flag > environment > file > default", () => {
    const env = { LSKY_PORT: "2000" };
    const file = { port: 3000, host: "::1", workers: 3 };
    const { settings, sources } = resolveSettings({ flags: { port: "1000" }, env, file, context });
    assert.equal(settings.port, 1000);
    assert.equal(sources.port, "flag");
    assert.deepEqual(
      resolveSettings({ flags: {}, env, file, context }).settings.port,
      2000,
    );
    const fromFile = resolveSettings({ flags: {}, env: {}, file, context });
    assert.equal(fromFile.settings.port, 3000);
    assert.equal(fromFile.sources.port, "file");
    assert.equal(fromFile.settings.host, "::1");
  });

  test("LSKY_PORT wins over PORT, and PORT alone is honoured", () => {
    assert.equal(resolveSettings({ flags: {}, env: { LSKY_PORT: "4001", PORT: "4002" }, context }).settings.port, 4001);
    const plain = resolveSettings({ flags: {}, env: { PORT: "4002" }, context });
    assert.equal(plain.settings.port, 4002);
    assert.equal(plain.sources.port, "env");
  });

  test("an empty environment variable counts as unset", () => {
    assert.equal(resolveSettings({ flags: {}, env: { LSKY_PORT: "", PORT: "4003" }, context }).settings.port, 4003);
  });

  test("parses durations and booleans from text", () => {
    const { settings } = resolveSettings({ flags: { gracePeriod: "5s", dev: "true" }, env: { LSKY_DRAIN_DELAY: "100ms" }, context });
    assert.equal(settings.gracePeriod, 5000);
    assert.equal(settings.drainDelay, 100);
    assert.equal(settings.dev, true);
  });

  test("a bad flag value names the flag, the value and what is allowed (exit 2)", () => {
    assert.throws(() => resolveSettings({ flags: { port: "70000" }, env: {}, context }), (error: unknown) => {
      assert.ok(error instanceof LskyError);
      assert.equal(error.code, "INVALID_CONFIG");
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, 'Invalid value "70000" for --port: expected a whole number from 0 to 65535');
      assert.match(error.hint ?? "", /lsky serve --help/);
      return true;
    });
  });

  test("a bad value's hint names the flag as --help spells it, not the setting's key", () => {
    assert.throws(() => resolveSettings({ flags: { trustProxy: "bogus" }, env: {}, context }), (error: unknown) => {
      assert.ok(error instanceof LskyError);
      assert.equal(error.hint, 'See --trust-proxy in "lsky serve --help"');
      return true;
    });
  });

  test("a bad environment value names the variable", () => {
    assert.throws(
      () => resolveSettings({ flags: {}, env: { PORT: "abc" }, context }),
      { message: 'Invalid value "abc" for PORT: expected a whole number from 0 to 65535' },
    );
  });

  test("a bad value hidden behind a flag is never parsed", () => {
    assert.equal(resolveSettings({ flags: { port: "1" }, env: { PORT: "abc" }, context }).settings.port, 1);
  });

  test("durations are capped at 24 hours", () => {
    assert.throws(() => resolveSettings({ flags: { gracePeriod: "25h" }, env: {}, context }), /at most 24h/);
  });
});

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
