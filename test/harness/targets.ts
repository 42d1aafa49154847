import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures");
const BIN = join(ROOT, "node_modules", ".bin");

/** A way of running lsky: one per engine, plus the compiled executable. */
export interface Target {
  name: "bun" | "deno" | "node" | "binary";
  /** The engine that serves requests. */
  engine: "bun" | "deno" | "node";
  command: string;
  args: string[];
}

const BUNDLE = join(ROOT, "dist", "lsky.mjs");

export const TARGETS: Target[] = [
  { name: "node", engine: "node", command: process.execPath, args: [BUNDLE] },
  { name: "bun", engine: "bun", command: join(BIN, "bun"), args: [BUNDLE] },
  { name: "deno", engine: "deno", command: join(BIN, "deno"), args: ["run", "-A", "--quiet", BUNDLE] },
  { name: "binary", engine: "bun", command: join(ROOT, "dist", "lsky"), args: [] },
];

/**
 * The targets this run covers: all by default, or those named in
 * LSKY_TEST_TARGETS (comma separated), e.g. LSKY_TEST_TARGETS=node,bun.
 */
export function selectedTargets(): Target[] {
  if (!existsSync(BUNDLE)) throw new Error("dist/lsky.mjs is missing: run npm run build first");
  return targetsNamed(process.env.LSKY_TEST_TARGETS);
}

/**
 * Resolves a LSKY_TEST_TARGETS value. A name that is no target is an error:
 * a typo ("nod") must not quietly run zero tests and pass.
 */
export function targetsNamed(list: string | undefined): Target[] {
  if (list === undefined || list.trim() === "") return TARGETS;
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((name) => !TARGETS.some((t) => t.name === name));
  if (unknown.length > 0) {
    const known = TARGETS.map((t) => t.name).join(", ");
    throw new Error(`LSKY_TEST_TARGETS names no such target: ${unknown.map((n) => `"${n}"`).join(", ")} (known: ${known})`);
  }
  return TARGETS.filter((t) => names.includes(t.name));
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}
