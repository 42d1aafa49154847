import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readJsonc } from "../config/app-config-files.ts";

type Mapping = Record<string, string>;

/**
 * The import map lsky gives `deno run --import-map` for an app with its own
 * deno.json but no lsky installed: the app's own map (its "imports" and
 * "scopes", or the file its "importMap" names) plus "lsky" → `facadeUrl`.
 * The flag replaces the config's map, and a map's relative addresses resolve
 * against the map's own location, so they are made absolute here. Undefined
 * when the app maps "lsky" itself, or its map cannot be read.
 */
export function importMapWithLsky(configPath: string, facadeUrl: string): Record<string, unknown> | undefined {
  const config = readJsonc(configPath);
  if (!config) return undefined;
  let map: Record<string, unknown> = config;
  let base = configPath;
  if (typeof config.importMap === "string") {
    if (/^[a-z]+:/i.test(config.importMap) && !config.importMap.startsWith("file:")) return undefined;
    base = config.importMap.startsWith("file:") ? new URL(config.importMap).pathname : resolve(dirname(configPath), config.importMap);
    const named = readJsonc(base);
    if (!named) return undefined;
    map = named;
  }
  const imports = asMapping(map.imports);
  if (imports.lsky !== undefined) return undefined;
  const baseUrl = pathToFileURL(base).href;
  const scopes = Object.fromEntries(Object.entries(asObject(map.scopes)).map(([scope, mapping]) =>
    [absolute(scope, baseUrl), absoluteMapping(asMapping(mapping), baseUrl)]));
  const result: Record<string, unknown> = { imports: { ...absoluteMapping(imports, baseUrl), lsky: facadeUrl } };
  if (Object.keys(scopes).length > 0) result.scopes = scopes;
  return result;
}

function absoluteMapping(mapping: Mapping, baseUrl: string): Mapping {
  return Object.fromEntries(Object.entries(mapping).map(([key, value]) => [absolute(key, baseUrl), absolute(value, baseUrl)]));
}

// Only what a map treats as a path ("./", "../", "/") is relative to it; bare
// names and npm:, jsr:, https: addresses stay as they are.
function absolute(address: string, baseUrl: string): string {
  return /^\.{0,2}\//.test(address) ? new URL(address, baseUrl).href : address;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function asMapping(value: unknown): Mapping {
  return Object.fromEntries(Object.entries(asObject(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
