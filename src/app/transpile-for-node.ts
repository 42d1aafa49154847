import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { LskyError } from "../errors.ts";

const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".jsx"]);

export function needsTranspile(path: string): boolean {
  return TYPESCRIPT_EXTENSIONS.has(extname(path));
}

/**
 * Bundles a TypeScript app for Node with esbuild and returns the file to import.
 * Packages stay external so the app's node_modules are used as they are; the
 * output is written under the nearest node_modules/.cache so that those imports
 * resolve from there. Without a node_modules, everything is bundled into a
 * temporary file. The name carries a hash of the output, so workers that
 * bundle at once write the same file, and a reload picks up new code.
 */
export async function transpileForNode(path: string): Promise<string> {
  const nodeModules = findNodeModules(dirname(path));
  const code = await bundle(path, nodeModules !== undefined);
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const outDir = nodeModules ? join(nodeModules, ".cache", "lsky") : join(tmpdir(), "lsky-apps");
  const outFile = join(outDir, `app-${hash}.mjs`);
  if (!existsSync(outFile)) writeAtomically(outDir, outFile, code);
  return outFile;
}

async function bundle(path: string, externalPackages: boolean): Promise<string> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch (cause) {
    const bun = process.env.LSKY_BUN_BIN;
    if (bun) return bundleWithBun(bun, path, externalPackages);
    throw new LskyError("ENGINE_MISSING", `Cannot load "${path}" on Node: TypeScript needs esbuild, which is not installed`, {
      hint: "Run npm install in lsky's directory, or serve a JavaScript entry, or use --runtime bun",
      cause,
    });
  }
  const result = await esbuild.build({
    entryPoints: [path],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: externalPackages ? "external" : undefined,
    sourcemap: "inline",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/**
 * Bundles with the Bun inside lsky's binary (BUN_BE_BUN makes it act as the
 * bun CLI): the way a Node worker started from dist/lsky loads TypeScript.
 */
function bundleWithBun(bun: string, path: string, externalPackages: boolean): string {
  const args = ["build", path, "--target", "node", "--format", "esm", ...(externalPackages ? ["--packages", "external"] : [])];
  const result = spawnSync(bun, args, { env: { ...process.env, BUN_BE_BUN: "1" }, encoding: "utf8", maxBuffer: 256 * 1_048_576 });
  if (result.status !== 0) {
    throw new LskyError("APP_LOAD_FAILED", `Cannot load "${path}" on Node: bun build failed`, {
      hint: `${result.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n") || undefined,
    });
  }
  return result.stdout;
}

function findNodeModules(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function writeAtomically(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
