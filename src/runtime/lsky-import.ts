/// <reference types="bun-types" />
import { existsSync, readFileSync } from "node:fs";
// A namespace import: a named one would fail to link on an engine whose node:module lacks it.
import * as nodeModule from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { contentHash, writeCachedFile } from "../private-dir.ts";
import { runtimeDir } from "../paths.ts";
import { currentEngine } from "./detect.ts";
import { embeddedFacade } from "./embedded-assets.ts";

// The text of dist/lsky-app.mjs, put into dist/lsky.mjs and dist/lsky-lib.mjs
// by build/build.mjs (esbuild's define); absent when lsky runs from sources.
declare const LSKY_APP_FACADE: string | undefined;

/**
 * Whether "lsky" resolves to an installed package from `dir`, the way a
 * package manager lays it out: node_modules/lsky in `dir` or a folder above.
 */
export function lskyInstalledFrom(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, "node_modules", "lsky", "package.json"))) return true;
    if (dirname(at) === at) return false;
  }
}

let facadeFile: string | undefined;

/**
 * The module lsky serves as "lsky" where none is installed: its app-facing
 * facade, written to the runtime directory (checked to be this user's alone;
 * a file there is used only if it holds exactly these bytes). From the
 * sources, the facade's own source file.
 */
export function facadeModuleFile(): string {
  if (facadeFile) return facadeFile;
  const text = facadeSource();
  facadeFile = text === undefined
    ? join(dirname(fileURLToPath(import.meta.url)), "..", "app-facade.ts")
    : writeCachedFile(runtimeDir(), `lsky-app-${contentHash(text)}.mjs`, text);
  return facadeFile;
}

function facadeSource(): string | undefined {
  const embedded = embeddedFacade();
  if (embedded) return readFileSync(embedded, "utf8");
  return typeof LSKY_APP_FACADE === "string" ? LSKY_APP_FACADE : undefined;
}

let served = false;

/**
 * Makes `import ... from "lsky"` work in an app whose folder has no lsky
 * installed (an installed copy, itself a facade, is left to win). Called
 * before the app is imported. Bun: a virtual module (a runtime plugin's
 * onResolve is not consulted for bare package names, measured on Bun 1.4).
 * Node, for a JavaScript app: a resolve hook that answers only when Node's
 * own resolution failed (a TypeScript app's bundle takes the facade in
 * instead, see load-app.ts: the hook's loader thread costs a Node worker
 * about 200 ms of start, measured with scripts/import-start.mjs, and about
 * 8.5 MB of RSS; load-app.ts calls this only for a module that may import
 * "lsky", app/lsky-reference.ts).
 * Deno has no such hook: the config lsky gives `deno run` maps "lsky"
 * (deno-app-flags.ts).
 */
export async function serveLskyImport(appDir: string): Promise<void> {
  const engine = currentEngine();
  if (served || engine === "deno" || lskyInstalledFrom(appDir)) return;
  served = true;
  const url = pathToFileURL(facadeModuleFile()).href;
  if (engine === "bun") {
    const exports = await import(url) as Record<string, unknown>;
    Bun.plugin({ name: "lsky-import", setup: (build) => void build.module("lsky", () => ({ exports, loader: "object" })) });
  } else if (typeof nodeModule.register === "function") {
    // Node before 20.6 has no module.register: the import then fails as Node's own would.
    nodeModule.register(`data:text/javascript,${encodeURIComponent(NODE_RESOLVE_HOOK)}`, { data: { url } });
  }
}

// Runs on Node's loader thread. Only a failed resolution of exactly "lsky" is
// answered, so node_modules/lsky, an import map or a "lsky/..." subpath keep
// Node's own meaning.
export const NODE_RESOLVE_HOOK = `
let facade;
export function initialize(data) { facade = data.url; }
export async function resolve(specifier, context, next) {
  if (specifier !== "lsky") return next(specifier, context);
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    return { url: facade, format: "module", shortCircuit: true };
  }
}
`;
