import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { transpileForNode } from "../transpile/transpile-for-node.ts";
import { LskyError } from "../errors.ts";
import { writeCachedFile } from "../private-dir.ts";
import { currentEngine } from "../runtime/detect.ts";
import { runtimeDir } from "../paths.ts";
import { DEFINE_CONFIG_MODULE } from "./define-config.ts";
import { type FileValues, validateFileValues } from "./file-values.ts";
import { type ProcessSpec, validateProcesses } from "./process-config.ts";
import { rebaseListenerModules } from "./listener-options.ts";

/** Looked for in the working directory, in this order, when --config is not given. */
export const CONFIG_FILE_NAMES = ["lsky.config.ts", "lsky.config.mts", "lsky.config.mjs", "lsky.config.js", "lsky.config.json"];

const NODE_TRANSPILED = new Set([".ts", ".mts", ".js"]);

export interface LoadedConfigFile extends Omit<FileValues, "processes"> {
  path: string;
  /** Custom processes, checked, their paths absolute (docs/PROCESSES.md). */
  processes?: ProcessSpec[];
}

/** The config file to use: the one named, or the first found in `dir`, or none. */
export function findConfigFile(named: string | undefined, dir: string): string | undefined {
  if (named !== undefined) {
    const path = resolve(dir, named);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new LskyError("INVALID_CONFIG", `Cannot read config file "${named}": no such file`, {
        hint: "Check the path given to --config (or LSKY_CONFIG)",
      });
    }
    return path;
  }
  return CONFIG_FILE_NAMES.map((name) => join(dir, name)).find((path) => existsSync(path));
}

/**
 * Loads and validates a config file. A module that throws fails with exit
 * code 1 and its error; a file whose values are wrong fails with exit code 2.
 */
export async function loadConfigFile(path: string): Promise<LoadedConfigFile> {
  const label = basename(path);
  const raw = extname(path) === ".json" ? readJson(path, label) : await importDefault(path, label);
  const values = validateFileValues(rebaseListenerModules(raw, dirname(path)), label);
  // The entry is relative to the config file, wherever lsky was started from.
  const entry = values.entry === undefined ? undefined : resolve(dirname(path), values.entry);
  const { processes, ...rest } = values;
  return { ...rest, entry, path, ...(processes === undefined ? {} : { processes: validateProcesses(processes, label, dirname(path)) }) };
}

function readJson(path: string, label: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LskyError("INVALID_CONFIG", `Cannot read config file ${label}: ${(error as Error).message}`);
  }
}

async function importDefault(path: string, label: string): Promise<unknown> {
  const prepared = prepareSource(path);
  let module: { default?: unknown };
  try {
    // Node 20 cannot import TypeScript, nor tell an ES module .js from CommonJS outside a "type": "module" package.
    const transpile = currentEngine() === "node" && NODE_TRANSPILED.has(extname(path));
    const target = transpile ? await transpileForNode(prepared.path) : prepared.path;
    module = await import(pathToFileURL(target).href) as { default?: unknown };
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new LskyError("CONFIG_LOAD_FAILED", `Cannot load config file ${label}: it threw ${firstLine(detail)}`, {
      hint: detail.split("\n").slice(1, 6).join("\n") || undefined,
      cause: error,
    });
  } finally {
    prepared.cleanup();
  }
  if (module.default === undefined) {
    throw new LskyError("INVALID_CONFIG", `Invalid config file ${label}: it has no default export`, {
      hint: "End it with: export default defineConfig({ ... })",
    });
  }
  return module.default;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

const LSKY_IMPORT = /((?:\bfrom|\bimport)\s*\(?\s*)(["'])lsky\2/g;

/**
 * A config file may `import { defineConfig } from "lsky"` even where the lsky
 * package is not installed (the compiled binary): lsky then serves that
 * import itself. The file is copied beside the original (so its relative
 * imports still resolve) with the specifier pointing at a tiny module that
 * holds defineConfig, and the copy is removed once loaded.
 */
function prepareSource(path: string): { path: string; cleanup(): void } {
  const source = readFileSync(path, "utf8");
  if (source.search(LSKY_IMPORT) === -1 || packageInstalled(dirname(path))) return { path, cleanup: () => {} };
  const shim = writeDefineConfigModule();
  const text = source.replace(LSKY_IMPORT, (_, before: string, quote: string) => `${before}${quote}${shim}${quote}`);
  const name = `.${basename(path, extname(path))}.${process.pid}${extname(path)}`;
  let copy = join(dirname(path), name);
  try {
    writeFileSync(copy, text);
  } catch {
    // A read-only app directory (systemd's ProtectSystem=strict): the copy
    // goes to lsky's runtime directory, where only its relative imports would fail.
    copy = join(dirname(shim), name);
    writeFileSync(copy, text);
  }
  return { path: copy, cleanup: () => rmSync(copy, { force: true }) };
}

function packageInstalled(start: string): boolean {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", "lsky", "package.json"))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** The module the config imports in place of "lsky", in the runtime directory checked to be this user's alone. */
function writeDefineConfigModule(): string {
  return writeCachedFile(runtimeDir(), "define-config.mjs", DEFINE_CONFIG_MODULE);
}
