import { createHash } from "node:crypto";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { findUp } from "../config/app-config-files.ts";
import { jsxSettingsFor } from "../config/tsconfig-jsx.ts";
import { runtimeDir } from "../paths.ts";
import { importMapWithLsky } from "./deno-import-map.ts";
import { facadeModuleFile, lskyInstalledFrom } from "./lsky-import.ts";

const DENO_CONFIG_NAMES = ["deno.json", "deno.jsonc"];

/** What Deno needs to load an app the way `deno run` from the app's folder would. */
export interface DenoAppConfig {
  /** The app's own deno.json(c), if it has one. */
  config?: string;
  /** The node_modules folder the app's packages resolve from, if any. */
  nodeModules?: string;
  /** The config Deno is given when the app has none: packages from node_modules, tsconfig's JSX, "lsky". */
  generated?: Record<string, unknown>;
}

/**
 * Deno looks for deno.json and package.json from the main module's folder, and
 * lsky's bundle is the main module: without help, the app's import map, JSX
 * options and unstable flags are ignored and bare imports fail ("Import "hono"
 * not a dependency"). The app's own deno.json is passed with --config; an app
 * without one gets a config that resolves packages from its node_modules
 * (nodeModulesDir "manual") and carries its tsconfig.json's JSX options.
 * When no lsky is installed for the app, `lskyFacade()` gives the module its
 * import map names as "lsky" (Deno has no resolve hook to do it at run time).
 */
export function denoAppConfig(entry: string, lskyFacade?: () => string): DenoAppConfig {
  const appDir = dirname(resolve(entry));
  const config = findUp(appDir, DENO_CONFIG_NAMES);
  const nodeModules = findUp(appDir, ["node_modules"]);
  if (config) return { config, nodeModules };
  const generated: Record<string, unknown> = {};
  if (nodeModules) generated.nodeModulesDir = "manual";
  const jsx = jsxSettingsFor(resolve(entry));
  if (Object.keys(jsx).length > 0) generated.compilerOptions = jsx;
  if (lskyFacade && !lskyInstalledFrom(appDir)) {
    generated.imports = { lsky: lskyFacade() };
    // lsky's own deno.json no longer applies once a config is given: run from
    // its sources, lsky resolves its packages (dotenv, ...) from node_modules.
    generated.nodeModulesDir = "manual";
  }
  return Object.keys(generated).length > 0 ? { nodeModules, generated } : { nodeModules };
}

/** The `deno run` flags for `entry` (none without an entry: the built-in app needs no packages). */
export function denoAppFlags(entry: string | undefined): string[] {
  if (!entry) return [];
  const found = denoAppConfig(entry, () => pathToFileURL(facadeModuleFile()).href);
  // The app's own config is taken as it is, as `deno run` in its folder would;
  // where it leaves "lsky" unresolved, an import map adds it.
  if (found.config) return ["--config", found.config, ...lskyImportMapFlags(entry, found.config)];
  return found.generated ? ["--config", writeGeneratedConfig(found.generated)] : [];
}

function lskyImportMapFlags(entry: string, config: string): string[] {
  if (lskyInstalledFrom(dirname(resolve(entry)))) return [];
  const map = importMapWithLsky(config, pathToFileURL(facadeModuleFile()).href);
  return map ? ["--import-map", writeGeneratedConfig(map, "deno-map")] : [];
}

// In the private runtime directory (0700): a config names the modules Deno
// loads, so nobody else may be able to write one lsky uses.
function writeGeneratedConfig(config: Record<string, unknown>, prefix = "deno"): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  const file = join(runtimeDir(), `${prefix}-${hash}.json`);
  if (!existsSync(file)) {
    writeFileSync(`${file}.${process.pid}`, text, { mode: 0o600 });
    renameSync(`${file}.${process.pid}`, file);
  }
  return file;
}
