import { currentEngine } from "./detect.ts";

/**
 * Reaping children the engine does not know about. Node, Bun and Deno only
 * wait for the processes they spawned; as PID 1 a supervisor also inherits
 * every orphaned grandchild, whose exit leaves a zombie until someone calls
 * waitpid. Bun (bun:ffi) and Deno (Deno.dlopen) can call libc's waitpid;
 * Node has no FFI, so there this returns undefined.
 */
export interface Reaper {
  /** waitpid(pid, WNOHANG): true when the zombie was collected. */
  reap(pid: number): boolean;
}

const WNOHANG = 1;
const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];

export async function loadReaper(): Promise<Reaper | undefined> {
  if (process.platform !== "linux") return undefined;
  switch (currentEngine()) {
    case "bun":
      return firstOpened(bunWaitpid);
    case "deno":
      return firstOpened(denoWaitpid);
    default:
      return undefined;
  }
}

async function firstOpened(open: (lib: string) => Promise<Reaper>): Promise<Reaper | undefined> {
  for (const lib of LIBC_NAMES) {
    try {
      return await open(lib);
    } catch {
      // Try the next name (glibc, then musl).
    }
  }
  return undefined;
}

async function bunWaitpid(lib: string): Promise<Reaper> {
  // A computed specifier keeps bundlers and other engines away from bun:ffi.
  const specifier = ["bun", "ffi"].join(":");
  const ffi = await import(specifier) as {
    dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
      symbols: { waitpid(pid: number, status: null, options: number): number };
    };
  };
  const { symbols } = ffi.dlopen(lib, { waitpid: { args: ["i32", "ptr", "i32"], returns: "i32" } });
  return { reap: (pid) => symbols.waitpid(pid, null, WNOHANG) === pid };
}

async function denoWaitpid(lib: string): Promise<Reaper> {
  const deno = (globalThis as unknown as { Deno: { dlopen: DenoDlopen } }).Deno;
  const { symbols } = deno.dlopen(lib, { waitpid: { parameters: ["i32", "pointer", "i32"], result: "i32" } });
  return Promise.resolve({ reap: (pid: number) => symbols.waitpid(pid, null, WNOHANG) === pid });
}

type DenoDlopen = (
  path: string,
  symbols: Record<string, { parameters: string[]; result: string }>,
) => { symbols: { waitpid(pid: number, status: null, options: number): number } };
