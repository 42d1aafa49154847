import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseBoolean, parseChoice, parseDuration, parseInteger } from "./parse-value.ts";

describe("parseInteger", () => {
  test("accepts whole numbers within the range, bounds included", () => {
    assert.equal(parseInteger("0", 0, 65535), 0);
    assert.equal(parseInteger("8000", 0, 65535), 8000);
    assert.equal(parseInteger(" 65535 ", 0, 65535), 65535);
  });

  for (const bad of ["abc", "", "-1", "1.5", "1e3", "0x10", "12abc", "70000"]) {
    test(`rejects ${JSON.stringify(bad)} with the allowed range`, () => {
      assert.throws(() => parseInteger(bad, 0, 65535), { name: "RangeError", message: "expected a whole number from 0 to 65535" });
    });
  }

  test("rejects a value below the minimum", () => {
    assert.throws(() => parseInteger("0", 1, 1024), /from 1 to 1024/);
  });
});

describe("parseDuration", () => {
  test("reads each unit into milliseconds", () => {
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("5m"), 300_000);
    assert.equal(parseDuration("1h"), 3_600_000);
  });

  test("a bare number is seconds, fractions allowed", () => {
    assert.equal(parseDuration("30"), 30_000);
    assert.equal(parseDuration("1.5"), 1500);
    assert.equal(parseDuration("0"), 0);
  });

  for (const bad of ["", "abc", "-1s", "5 m", "1d", "s"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseDuration(bad), { name: "RangeError", message: /expected a duration/ });
    });
  }
});

describe("parseBoolean", () => {
  for (const yes of ["1", "true", "TRUE", "yes", "on", " on "]) {
    test(`${JSON.stringify(yes)} is true`, () => assert.equal(parseBoolean(yes), true));
  }
  for (const no of ["0", "false", "no", "off", ""]) {
    test(`${JSON.stringify(no)} is false`, () => assert.equal(parseBoolean(no), false));
  }
  test("anything else is an error", () => {
    assert.throws(() => parseBoolean("maybe"), { name: "RangeError", message: 'expected "true" or "false"' });
  });
});

describe("parseChoice", () => {
  const engines = ["bun", "deno", "node"] as const;
  test("returns the chosen word, trimmed", () => {
    assert.equal(parseChoice(" deno ", engines), "deno");
  });
  test("lists the choices when the word is not one of them", () => {
    assert.throws(() => parseChoice("Node", engines), { name: "RangeError", message: 'expected one of "bun", "deno", "node"' });
  });
});
