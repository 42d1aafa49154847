import assert from "node:assert/strict";
import { test } from "node:test";
import { validateFileValues } from "./file-values.ts";
import { parseTables } from "./store-options.ts";

test("parseTables takes int, float and string:N columns and refuses anything else", () => {
  assert.deepEqual(parseTables({ stats: { size: 8, columns: { hits: "int", score: "float", name: "string:64" } } }), {
    stats: { size: 8, columns: { hits: "int", score: "float", name: "string:64" } },
  });
  assert.throws(() => parseTables({ stats: { size: 0, columns: { hits: "int" } } }), /size from 1/);
  assert.throws(() => parseTables({ stats: { size: 8, columns: {} } }), /to have columns/);
  assert.throws(() => parseTables({ stats: { size: 8, columns: { hits: "bigint" } } }), /"int", "float" or "string:N"/);
  assert.throws(() => parseTables({ stats: { size: 8, columns: { name: "string:0" } } }), /"string:N"/);
  assert.throws(() => parseTables({ "bad name": { size: 8, columns: { hits: "int" } } }), /table names/);
  assert.throws(() => parseTables([]), /object of tables/);
});

test("a config file's cache: { maxEntries, maxBytes } sets the two cache settings", () => {
  const { settings } = validateFileValues({ cache: { maxEntries: 50, maxBytes: "1mb" }, tables: { t: { size: 1, columns: { n: "int" } } } }, "lsky.config.ts");
  assert.equal(settings.cacheMaxEntries, 50);
  assert.equal(settings.cacheMaxBytes, 1024 * 1024);
  assert.deepEqual(settings.tables, { t: { size: 1, columns: { n: "int" } } });
  assert.throws(() => validateFileValues({ cache: { maxEntry: 5 } }, "lsky.config.ts"), /Unknown key "cache.maxEntry"/);
  assert.throws(() => validateFileValues({ tables: { t: { size: 1, columns: { n: "text" } } } }, "lsky.config.ts"), /Invalid value/);
});
