import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { importMapWithLsky } from "./deno-import-map.ts";

const FACADE = "file:///run/lsky-app.mjs";

test("importMapWithLsky: the app's map made absolute, plus lsky; none when the app maps lsky", () => {
  const root = mkdtempSync(join(tmpdir(), "lsky-deno-map-"));
  try {
    const url = pathToFileURL(root).href;
    writeFileSync(join(root, "deno.jsonc"), `{
      // comments and trailing commas, as deno.jsonc allows
      "imports": { "#lib/": "./src/lib/", "hono": "npm:hono@4", "up": "../common/up.ts", },
      "scopes": { "./vendor/": { "hono": "./vendor/hono.ts" } },
    }`);
    assert.deepEqual(importMapWithLsky(join(root, "deno.jsonc"), FACADE), {
      imports: { "#lib/": `${url}/src/lib/`, hono: "npm:hono@4", up: `${pathToFileURL(join(root, "..")).href}/common/up.ts`, lsky: FACADE },
      scopes: { [`${url}/vendor/`]: { hono: `${url}/vendor/hono.ts` } },
    });

    mkdirSync(join(root, "maps"));
    writeFileSync(join(root, "maps", "import_map.json"), '{ "imports": { "#x": "./x.ts" } }');
    writeFileSync(join(root, "deno.json"), '{ "importMap": "./maps/import_map.json" }');
    assert.deepEqual(importMapWithLsky(join(root, "deno.json"), FACADE), { imports: { "#x": `${url}/maps/x.ts`, lsky: FACADE } });

    writeFileSync(join(root, "deno.json"), '{ "imports": { "lsky": "./my-lsky.ts" } }');
    assert.equal(importMapWithLsky(join(root, "deno.json"), FACADE), undefined);
    writeFileSync(join(root, "deno.json"), "{}");
    assert.deepEqual(importMapWithLsky(join(root, "deno.json"), FACADE), { imports: { lsky: FACADE } });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
