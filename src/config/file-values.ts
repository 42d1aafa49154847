import { LskyError } from "../errors.ts";
import { closestMatch } from "./closest.ts";
import { type ServeSettings, SETTINGS, type SettingSpec } from "./options.ts";
import { CACHE_FILE_KEYS } from "./store-options.ts";
import { CLUSTER_FILE_KEYS } from "./cluster-options.ts";
import type { ProcessConfig } from "./process-config.ts";

/**
 * What a config file may hold: any setting by its key, plus `entry`. Numbers
 * may also be written as text ("30s" for a duration; a bare number of a
 * duration is seconds, as on the command line).
 */
export type LskyConfig = {
  [K in keyof ServeSettings]?: ServeSettings[K] extends boolean ? boolean
    : ServeSettings[K] extends number ? number | string
    : K extends "staticCache" ? string | Record<string, string> | ServeSettings[K]
    : ServeSettings[K];
} & {
  /** The app to serve, relative to the config file. */
  entry?: string;
  /** The shared cache's bounds (docs/TABLES.md): the same as cacheMaxEntries and cacheMaxBytes. */
  cache?: { maxEntries?: number | string; maxBytes?: number | string };
  /** Custom processes started, restarted and stopped with the server (docs/PROCESSES.md). */
  processes?: Record<string, ProcessConfig>;
  /** Several servers as one cluster (docs/CLUSTER.md): the same as clusterRedis and clusterNode. */
  cluster?: { redis?: string; node?: string; required?: boolean };
};

export interface FileValues {
  settings: Partial<ServeSettings>;
  entry?: string;
  /** The `processes` value as written; config-file.ts checks it against the file's directory. */
  processes?: unknown;
}

const SPECS = SETTINGS as readonly SettingSpec[];
// Blocks of the file that stand for several settings: `cache: { maxEntries }` is cacheMaxEntries.
const BLOCKS: Record<string, Record<string, string>> = { cache: CACHE_FILE_KEYS, cluster: CLUSTER_FILE_KEYS };
const KNOWN_KEYS = ["entry", "processes", ...Object.keys(BLOCKS), ...SPECS.map((s) => s.key)];

/**
 * Checks a config file's default export and turns it into typed settings. Any
 * problem (not an object, an unknown key, a wrong type, a value out of range)
 * fails with one line naming the key, the value and what is allowed.
 */
export function validateFileValues(raw: unknown, file: string): FileValues {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid(file, `its default export must be an object of settings, got ${describe(raw)}`);
  }
  const settings: Record<string, unknown> = {};
  let entry: string | undefined;
  let processes: unknown;
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (key === "entry") {
      if (typeof value !== "string" || !value) throw invalidValue(file, key, value, "a path to the app module");
      entry = value;
      continue;
    }
    if (BLOCKS[key]) {
      Object.assign(settings, blockValues(key, value, file));
      continue;
    }
    if (key === "processes") {
      processes = value;
      continue;
    }
    const spec = SPECS.find((s) => s.key === key);
    if (!spec) throw unknownKey(file, key);
    settings[key] = parseFileValue(spec, value, file);
  }
  return { settings: settings as Partial<ServeSettings>, entry, ...(processes === undefined ? {} : { processes }) };
}

/** A block such as `cache: { maxEntries, maxBytes }`, read as the settings it stands for. */
function blockValues(block: string, value: unknown, file: string): Record<string, unknown> {
  const keys = BLOCKS[block]!;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidValue(file, block, value, `{ ${Object.keys(keys).join(", ")} }`);
  }
  const settings: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const key = keys[name];
    if (!key) throw unknownKey(file, `${block}.${name}`);
    settings[key] = parseFileValue(SPECS.find((s) => s.key === key)!, inner, file);
  }
  return settings;
}

function parseFileValue(spec: SettingSpec, value: unknown, file: string): unknown {
  if (spec.boolean) {
    if (typeof value !== "boolean") throw invalidValue(file, spec.key, value, "true or false");
    return value;
  }
  if (spec.fromFile && typeof value === "object" && value !== null) {
    let structured: unknown;
    try {
      structured = spec.fromFile(value);
    } catch (error) {
      throw invalidValue(file, spec.key, value, (error as Error).message.replace(/^expected /, ""));
    }
    if (structured !== undefined) return structured;
    throw invalidValue(file, spec.key, value, 'rules such as { "*.js": "public, max-age=31536000" }');
  }
  const text = typeof value === "string" ? value
    : typeof value === "number" && Number.isFinite(value) ? String(value)
    : Array.isArray(value) && value.every((v) => typeof v === "string") ? value.join(",")
    : undefined;
  if (text === undefined) throw invalidValue(file, spec.key, value, `a ${expectedType(spec)}`);
  try {
    return spec.parse(text);
  } catch (error) {
    throw invalidValue(file, spec.key, value, (error as Error).message.replace(/^expected /, ""));
  }
}

function expectedType(spec: SettingSpec): string {
  return typeof spec.defaultValue({ currentEngine: "node" }) === "number" ? "number" : "string";
}

function unknownKey(file: string, key: string): LskyError {
  const suggestion = closestMatch(key, KNOWN_KEYS);
  return new LskyError("INVALID_CONFIG", `Unknown key "${key}" in ${file}${suggestion ? `: did you mean "${suggestion}"?` : ""}`, {
    hint: `Known keys: ${KNOWN_KEYS.join(", ")}`,
  });
}

function invalidValue(file: string, key: string, value: unknown, allowed: string): LskyError {
  return new LskyError("INVALID_CONFIG", `Invalid value ${describe(value)} for "${key}" in ${file}: expected ${allowed}`, {
    hint: 'Run "lsky serve --help" for the settings',
  });
}

function invalid(file: string, why: string): LskyError {
  return new LskyError("INVALID_CONFIG", `Invalid config file ${file}: ${why}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}
