import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, extname, join } from "node:path";
import { LskyError } from "../errors.ts";
import { BUN_BUILD_SCRIPT } from "./bun-build-script.ts";
import { contentHash, ensurePrivateDir, writeCachedFile } from "../private-dir.ts";
import { runtimeDir } from "../paths.ts";
import { importMetaPlugin } from "./import-meta-plugin.ts";

const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".jsx"]);

export function needsTranspile(path: string): boolean {
  return TYPESCRIPT_EXTENSIONS.has(extname(path));
}

/**
 * Bundles a TypeScript app for Node with esbuild and returns the file to import.
 * Packages stay external so the app's node_modules are used as they are; the
 * output is written under the nearest node_modules/.cache/lsky/<uid> so that
 * those imports resolve from there. When that cannot be written (read-only
 * image, another user's install), everything is bundled into the user's cache
 * directory instead, or else into lsky's runtime directory. Each directory is
 * checked to be this user's alone before code is written to it or imported
 * from it (src/private-dir.ts). The name carries a hash of the output, so
 * workers that bundle at once write the same file, and a reload picks up new code.
 * `lskyFacade`, when given, is what the app's `import ... from "lsky"` becomes.
 * `keepWarm` keeps esbuild's service running for the next build (--watch).
 */
export async function transpileForNode(path: string, lskyFacade?: string, { keepWarm = false } = {}): Promise<string> {
  enableSourceMaps();
  building++;
  try {
    return await transpileInto(path, lskyFacade);
  } finally {
    building--;
    // esbuild's service is a process of its own (about 12 MB) that would
    // otherwise live as long as this one; a build after stop() starts it again.
    if (building === 0 && !keepWarm) void loadedEsbuild?.stop();
  }
}

/** Builds in flight: esbuild's service is stopped only when none is. */
let building = 0;
let loadedEsbuild: typeof import("esbuild") | undefined;

/**
 * Stacks of errors thrown by the app then name the user's .ts file and line,
 * not the bundle (the bundle carries an inline source map).
 */
export function enableSourceMaps(): void {
  (process as { setSourceMapsEnabled?: (on: boolean) => void }).setSourceMapsEnabled?.(true);
}

/** esbuild, imported once; rejects where it is not installed (the binary has only its Bun). */
async function loadEsbuild(): Promise<typeof import("esbuild")> {
  return loadedEsbuild ??= await import("esbuild");
}

/** True when esbuild can be loaded here (not when only the binary's Bun could bundle). */
export async function canBundleWithEsbuild(): Promise<boolean> {
  return loadEsbuild().then(() => true, () => false);
}

async function transpileInto(path: string, lskyFacade?: string): Promise<string> {
  const uid = String(process.getuid?.() ?? "user");
  const nodeModules = findNodeModules(dirname(path));
  const inApp = nodeModules && await tryBundleInto(join(nodeModules, ".cache", "lsky", uid), path, { external: true, lskyFacade });
  if (inApp) return inApp;
  const all = { external: false, lskyFacade };
  const userCache = await tryBundleInto(join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "lsky"), path, all);
  return userCache ?? bundleInto(runtimeDir(), path, all);
}

/** Like bundleInto, but undefined when the directory cannot be written. */
async function tryBundleInto(dir: string, path: string, how: BundleHow): Promise<string | undefined> {
  try {
    return await bundleInto(dir, path, how);
  } catch (error) {
    if (error instanceof LskyError || !isWriteError(error)) throw error;
    return undefined;
  }
}

async function bundleInto(dir: string, path: string, how: BundleHow): Promise<string> {
  // Node imports the bundle by its real path; source map paths, relative to
  // the bundle, must be computed from there too (a parent may be a link).
  const outDir = realpathSync(ensurePrivateDir(dir));
  const code = await bundle(path, outDir, how);
  return writeCachedFile(outDir, `app-${contentHash(code)}.mjs`, code);
}

async function bundle(path: string, outDir: string, how: BundleHow): Promise<string> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await loadEsbuild();
  } catch (cause) {
    const bun = process.env.LSKY_BUN_BIN;
    if (bun) return bundleWithBun(bun, path, how);
    throw new LskyError("ENGINE_MISSING", `Cannot load "${path}" on Node: TypeScript needs esbuild, which is not installed`, {
      hint: "Run npm install in lsky's directory, or serve a JavaScript entry, or use --runtime bun",
      cause,
    });
  }
  const result = await esbuild.build({
    entryPoints: [path],
    bundle: true,
    write: false,
    // Where the file will live: the source map's paths are relative to it.
    outdir: outDir,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: how.external ? "external" : undefined,
    alias: how.lskyFacade ? { lsky: how.lskyFacade } : undefined,
    sourcemap: "inline",
    plugins: [importMetaPlugin()],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/**
 * Bundles with the Bun inside lsky's binary (BUN_BE_BUN makes it act as the
 * bun CLI): the way a Node worker started from dist/lsky loads TypeScript.
 */
function bundleWithBun(bun: string, path: string, how: BundleHow): string {
  const result = spawnSync(bun, ["-e", BUN_BUILD_SCRIPT], {
    env: { ...process.env, BUN_BE_BUN: "1", LSKY_BUN_BUILD: JSON.stringify({ entry: path, ...how }) },
    encoding: "utf8",
    maxBuffer: 256 * 1_048_576,
  });
  if (result.status !== 0) {
    throw new LskyError("APP_LOAD_FAILED", `Cannot load "${path}" on Node: bun build failed`, {
      hint: `${result.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n") || undefined,
    });
  }
  return result.stdout;
}

interface BundleHow {
  /** Leave packages to the app's node_modules (else bundle them in). */
  external: boolean;
  /**
   * The module "lsky" means where the app has none installed: lsky's facade,
   * bundled in (it keeps no state of its own, so a copy shares the server's).
   */
  lskyFacade?: string;
}

function isWriteError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOTDIR" || code === "EEXIST" ||
    code === "ENOSPC" || code === "ENOENT";
}

function findNodeModules(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules");
    // Node imports the bundle by its real path; source map paths, relative to
    // the bundle, must be computed from there too (node_modules is often a link).
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
