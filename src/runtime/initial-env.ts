import { readFileSync } from "node:fs";
import { currentEngine } from "./detect.ts";

/**
 * The names in `process.env` that the engine itself set from `.env` files
 * before lsky ran: Bun loads `.env` (and `.env.local`, `.env.$NODE_ENV`) on
 * its own. lsky applies its own rule (the real environment beats `.env.NAME`
 * beats `.env`), so such values must not count as "already set". The real
 * environment is what the kernel gave the process, in /proc/self/environ.
 * Empty on other engines, or where /proc is not readable.
 */
export function engineLoadedEnvNames(env: Record<string, string | undefined> = process.env): Set<string> {
  if (currentEngine() !== "bun") return new Set();
  let initial: string;
  try {
    initial = readFileSync("/proc/self/environ", "latin1");
  } catch {
    return new Set();
  }
  const real = new Set(initial.split("\0").filter(Boolean).map((pair) => pair.slice(0, pair.indexOf("="))));
  return new Set(Object.keys(env).filter((name) => !real.has(name)));
}
