import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { closestMatch } from "./closest.ts";
import { validateFileValues } from "./file-values.ts";

function failure(raw: unknown): LskyError {
  try {
    validateFileValues(raw, "lsky.config.ts");
  } catch (error) {
    assert.ok(error instanceof LskyError);
    return error;
  }
  assert.fail("expected the config to be rejected");
}

describe("validateFileValues", () => {
  test("turns typed values into settings and keeps the entry apart", () => {
    const values = validateFileValues({ entry: "app.ts", port: 8080, workers: "3", gracePeriod: "5s", ttl: 2, dev: true }, "f");
    assert.deepEqual(values, { entry: "app.ts", settings: { port: 8080, workers: 3, gracePeriod: 5000, ttl: 2000, dev: true } });
  });

  test("skips keys set to undefined", () => {
    assert.deepEqual(validateFileValues({ port: undefined }, "f"), { entry: undefined, settings: {} });
  });

  test("rejects an unknown key, suggesting the closest one, with exit code 2", () => {
    const error = failure({ wrokers: 2 });
    assert.equal(error.message, 'Unknown key "wrokers" in lsky.config.ts: did you mean "workers"?');
    assert.equal(error.exitCode, 2);
    assert.match(failure({ zzzzzzzz: 1 }).message, /^Unknown key "zzzzzzzz" in lsky\.config\.ts$/);
  });

  test("rejects a wrong type, naming the key, the value and what is allowed", () => {
    assert.equal(failure({ dev: "yes" }).message, 'Invalid value "yes" for "dev" in lsky.config.ts: expected true or false');
    assert.equal(failure({ port: true }).message, 'Invalid value true for "port" in lsky.config.ts: expected a number');
    assert.equal(failure({ host: {} }).message, 'Invalid value an object for "host" in lsky.config.ts: expected a string');
    assert.equal(failure({ entry: 3 }).message, 'Invalid value 3 for "entry" in lsky.config.ts: expected a path to the app module');
  });

  test("rejects an out-of-range value with the allowed range", () => {
    assert.equal(failure({ port: 70000 }).message, 'Invalid value 70000 for "port" in lsky.config.ts: expected a whole number from 0 to 65535');
    assert.equal(failure({ workers: 0 }).exitCode, 2);
    assert.match(failure({ logFormat: "xml" }).message, /"logFormat".*expected one of "text", "json"/);
  });

  test("rejects a default export that is not an object", () => {
    assert.match(failure([1]).message, /default export must be an object of settings, got an array/);
    assert.match(failure(() => ({})).message, /got a function/);
  });
});

describe("closestMatch", () => {
  test("finds a likely typo, case-insensitively, and nothing for a far word", () => {
    assert.equal(closestMatch("gracePerod", ["gracePeriod", "port"]), "gracePeriod");
    assert.equal(closestMatch("PORT", ["gracePeriod", "port"]), "port");
    assert.equal(closestMatch("database", ["gracePeriod", "port"]), undefined);
  });
});

test("staticCache takes a pattern map, a rule list or the flag's text", () => {
  const map = validateFileValues({ staticCache: { "*.js": "public, max-age=60" } }, "lsky.config.ts");
  assert.deepEqual(map.settings.staticCache, [{ pattern: "*.js", value: "public, max-age=60" }]);
  const list = validateFileValues({ staticCache: [{ pattern: "*.css", value: "no-cache" }] }, "lsky.config.ts");
  assert.deepEqual(list.settings.staticCache, [{ pattern: "*.css", value: "no-cache" }]);
  const text = validateFileValues({ staticCache: "*.html=no-cache" }, "lsky.config.ts");
  assert.deepEqual(text.settings.staticCache, [{ pattern: "*.html", value: "no-cache" }]);
  assert.throws(() => validateFileValues({ staticCache: { "*.js": 5 } }, "lsky.config.ts"), /staticCache/);
});
