import { readFileSync } from "node:fs";
import { loadLibc } from "./libc.ts";
import type { Engine } from "./types.ts";

/** The soft and hard RLIMIT_NOFILE; Infinity stands for "unlimited". */
export interface DescriptorLimit {
  soft: number;
  hard: number;
}

/** What raising the soft limit did, for the start line and `lsky doctor`. */
export interface RaiseOutcome {
  before: DescriptorLimit | undefined;
  after: DescriptorLimit | undefined;
  /** How it was raised ("setrlimit", "prlimit"), or why not. */
  how: string;
}

// RLIMIT_NOFILE on Linux (x86_64, arm64, riscv); struct rlimit is two u64.
const RLIMIT_NOFILE = 7;
const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

/** Parses the "Max open files" row of /proc/<pid>/limits. */
export function parseProcLimits(text: string): DescriptorLimit | undefined {
  const row = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!row) return undefined;
  const value = (field: string) => (field === "unlimited" ? Infinity : Number(field));
  return { soft: value(row[1]!), hard: value(row[2]!) };
}

/**
 * This process's descriptor limit, read from /proc (no FFI needed). Reading
 * takes a descriptor, so it fails when they are all in use: undefined then.
 */
export function readDescriptorLimit(pid: number | "self" = "self"): DescriptorLimit | undefined {
  try {
    return parseProcLimits(readFileSync(`/proc/${pid}/limits`, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Raises the soft descriptor limit to the hard one, as Go's runtime has done
 * since 1.19: the soft default of 1024 is a relic of select(), and a server
 * holding thousands of connections needs more. Workers inherit it. Bun and
 * Deno call setrlimit through FFI; Node has none and runs util-linux's
 * `prlimit` on itself when it is installed.
 */
export async function raiseDescriptorLimit(engine: Engine): Promise<RaiseOutcome> {
  const before = readDescriptorLimit();
  if (!before) return { before, after: before, how: "unknown (no /proc/self/limits)" };
  if (before.soft >= before.hard) return { before, after: before, how: "soft already at hard: Node, Bun and Deno raise it at start" };
  const how = engine === "node" ? await raiseWithPrlimit(before.hard) : await raiseWithSetrlimit(engine);
  return { before, after: readDescriptorLimit() ?? before, how };
}

async function raiseWithSetrlimit(engine: "bun" | "deno"): Promise<string> {
  const libc = (await loadLibc(engine, {
    getrlimit: { args: ["i32", "buffer"], returns: "i32" },
    setrlimit: { args: ["i32", "buffer"], returns: "i32" },
  }))?.fn;
  if (!libc) return "not raised (no FFI access to libc)";
  const limit = new BigUint64Array(2);
  if (Number(libc.getrlimit(RLIMIT_NOFILE, limit)) !== 0) return "not raised (getrlimit failed)";
  limit[0] = limit[1]!;
  if (limit[0] === RLIM_INFINITY) return "not raised (the hard limit is unlimited)";
  return Number(libc.setrlimit(RLIMIT_NOFILE, limit)) === 0 ? "setrlimit" : "not raised (setrlimit failed)";
}

async function raiseWithPrlimit(hard: number): Promise<string> {
  if (!Number.isFinite(hard)) return "not raised (the hard limit is unlimited)";
  // Imported here: workers read their limit through this module, and on Bun
  // a worker that imports node:child_process starts later (docs/BENCHMARKS.md).
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync("prlimit", ["--pid", String(process.pid), `--nofile=${hard}:${hard}`], { stdio: "ignore", timeout: 5000 });
  if (result.error) return "not raised (Node has no FFI and prlimit from util-linux is not installed)";
  return result.status === 0 ? "prlimit" : "not raised (prlimit failed)";
}
