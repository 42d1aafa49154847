import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { LskyError } from "../errors.ts";
import { applyAppTsconfigOnBun } from "../runtime/bun-tsconfig-jsx.ts";
import { currentEngine } from "../runtime/detect.ts";
import { mayImportLsky } from "./lsky-reference.ts";
import { type FetchApp, isFetchApp } from "./contract.ts";
import { embeddedApp } from "./embedded.ts";
import { explainLoadError } from "./load-error.ts";

export interface LoadedApp {
  app: FetchApp;
  /** What the start line shows: the file, or "(built-in app)". */
  label: string;
}

/**
 * Loads the user's app, or the embedded default app when no entry is given.
 * `bundle`: on Node, the supervisor's bundle of a TypeScript entry
 * (supervisor/app-bundle.ts), imported instead of bundling it again here.
 */
export async function loadApp(entry: string | undefined, bundle?: string): Promise<LoadedApp> {
  if (!entry) {
    const embedded = embeddedApp();
    if (embedded) return validate(embedded.app, embedded.label);
    const module = await import("./default-app.ts");
    return { app: module.default as unknown as FetchApp, label: "(built-in app)" };
  }
  const path = assertAppFile(entry);
  const module = await importModule(entry, path, bundle);
  return validate((module as { default?: unknown }).default, entry);
}

function validate(candidate: unknown, entry: string): LoadedApp {
  if (!isFetchApp(candidate)) {
    throw new LskyError("APP_NO_FETCH", `Cannot serve "${entry}": its default export has no fetch(request) method`, {
      hint: "Export a Hono app, or an object such as: export default { fetch: (req) => new Response(\"ok\") }",
    });
  }
  return { app: candidate, label: entry };
}

/** Fails (exit 2) unless `entry` names a file; returns its absolute path. */
export function assertAppFile(entry: string): string {
  const path = resolve(entry);
  const hint = "Give the path of a module whose default export has fetch(request)";
  if (!existsSync(path)) throw new LskyError("APP_NOT_FOUND", `Cannot serve "${entry}": no such file`, { hint });
  if (!statSync(path).isFile()) {
    throw new LskyError("APP_NOT_FOUND", `Cannot serve "${entry}": it is a directory, not a module`, { hint });
  }
  return path;
}

/**
 * Imports one of the user's modules (the app, a custom process) on any
 * engine. Node 20 cannot import TypeScript; Bun and Deno can, directly. The
 * bundle made for Node takes lsky's facade in as "lsky" where the app has
 * none installed; any other module gets it through serveLskyImport.
 *
 * The transpiler and the "lsky" import are loaded where they are used, not
 * with this module: on Bun a worker that loads them as it starts also loads
 * node:crypto and node:child_process, 2 to 3 ms of its start
 * (docs/BENCHMARKS.md, "Start to first response").
 */
export async function importUserModule(path: string, bundle?: string): Promise<unknown> {
  if (currentEngine() === "bun") applyAppTsconfigOnBun();
  if (currentEngine() === "node") {
    const { enableSourceMaps, needsTranspile } = await import("../transpile/transpile-for-node.ts");
    if (needsTranspile(path)) {
      enableSourceMaps();
      // A bundle removed since (a cache cleared) is made again rather than failing the start.
      const file = bundle && existsSync(bundle) ? bundle : await nodeBundleOf(path);
      return await import(pathToFileURL(file).href);
    }
  }
  // Most modules never import "lsky": serving it costs Node a loader thread.
  if (mayImportLsky(path)) await (await import("../runtime/lsky-import.ts")).serveLskyImport(dirname(path));
  return await import(pathToFileURL(path).href);
}

/**
 * The file Node imports for a TypeScript module: a bundle that takes lsky's
 * facade in as "lsky" where the app has none installed.
 */
export async function nodeBundleOf(path: string, how: { keepWarm?: boolean } = {}): Promise<string> {
  const { facadeModuleFile, lskyInstalledFrom } = await import("../runtime/lsky-import.ts");
  const { transpileForNode } = await import("../transpile/transpile-for-node.ts");
  const facade = lskyInstalledFrom(dirname(path)) ? undefined : facadeModuleFile();
  return transpileForNode(path, facade, how);
}

/** Imports one of the app's modules the way the app itself is imported (also the listeners' modules). */
export async function importModule(entry: string, path: string, bundle?: string): Promise<unknown> {
  try {
    return await importUserModule(path, bundle);
  } catch (error) {
    if (error instanceof LskyError) throw error;
    throw new LskyError("APP_LOAD_FAILED", `Cannot serve "${entry}": the module threw while loading`, {
      cause: explainLoadError(error),
    });
  }
}
