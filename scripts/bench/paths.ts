import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
export const BIN = join(ROOT, "node_modules", ".bin");
export const SERVERS = join(ROOT, "scripts", "bench", "servers");
export const APP = join(SERVERS, "app.mjs");
export const LSKY_BUNDLE = join(ROOT, "dist", "lsky.mjs");
export const DOCS = join(ROOT, "docs", "BENCHMARKS.md");

export type Engine = "bun" | "deno" | "node";

/** How to run a script on each engine, as the tests run lsky's bundle. */
export const ENGINE_RUN: Record<Engine, { command: string; args: string[] }> = {
  node: { command: process.execPath, args: [] },
  bun: { command: join(BIN, "bun"), args: [] },
  deno: { command: join(BIN, "deno"), args: ["run", "-A", "--quiet"] },
};

/** A path as it is shown in the docs: relative to the repository root. */
export function shown(path: string): string {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}
