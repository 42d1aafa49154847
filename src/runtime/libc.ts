/**
 * lsky's one way into libc, through bun:ffi on Bun and Deno.dlopen on Deno
 * (Node has no FFI). Callers describe the functions they need in one neutral
 * notation; this module spells it the way each engine wants. Only
 * src/runtime/ touches Bun and Deno.
 */

/** C types as both FFIs know them; `buffer` is a pointer to a typed array's bytes, `pointer` one that may be null. */
export type CType = "i32" | "u32" | "u64" | "isize" | "usize" | "buffer" | "pointer";

export interface CFunction {
  args: readonly CType[];
  returns: CType;
}

export type CFunctions = Record<string, CFunction>;

/** The opened functions, and how to pass a 64-bit integer (a number on Bun, a bigint on Deno). */
export interface Libc<F extends CFunctions> {
  readonly fn: { [K in keyof F]: (...args: unknown[]) => number | bigint };
  wide(n: number): number | bigint;
}

// glibc, then musl (Alpine), then an unversioned name.
const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];
const BUN_TYPES: Record<CType, string> = { i32: "i32", u32: "u32", u64: "u64", isize: "i64", usize: "u64", buffer: "ptr", pointer: "ptr" };

/** Opens libc with `functions`, or undefined where there is no FFI or no such libc (Node, musl without libc.so). */
export async function loadLibc<F extends CFunctions>(engine: "bun" | "deno" | "node", functions: F): Promise<Libc<F> | undefined> {
  if (process.platform !== "linux") return undefined;
  try {
    if (engine === "bun") return await openWithBun(functions);
    if (engine === "deno") return openWithDeno(functions);
  } catch {
    // No FFI permission, or a libc under another name: the caller falls back.
  }
  return undefined;
}

async function openWithBun<F extends CFunctions>(functions: F): Promise<Libc<F> | undefined> {
  // A computed specifier keeps bundlers for Node from trying to resolve it.
  const specifier = "bun:ffi";
  const ffi = await import(specifier) as BunFfi;
  const symbols = Object.fromEntries(Object.entries(functions).map(([name, f]) =>
    [name, { args: f.args.map((t) => BUN_TYPES[t]), returns: BUN_TYPES[f.returns] }]));
  const fn = openFirst((name) => ffi.dlopen(name, symbols).symbols);
  return fn && { fn: fn as Libc<F>["fn"], wide: (n) => n };
}

function openWithDeno<F extends CFunctions>(functions: F): Libc<F> | undefined {
  const deno = (globalThis as unknown as { Deno: DenoFfi }).Deno;
  const symbols = Object.fromEntries(Object.entries(functions).map(([name, f]) =>
    [name, { parameters: [...f.args], result: f.returns }]));
  const fn = openFirst((name) => deno.dlopen(name, symbols).symbols);
  return fn && { fn: fn as Libc<F>["fn"], wide: (n) => BigInt(n) };
}

type Opened = Record<string, (...args: unknown[]) => number | bigint>;

function openFirst(open: (name: string) => Opened): Opened | undefined {
  for (const name of LIBC_NAMES) {
    try {
      return open(name);
    } catch {
      // Try the next name (musl, or a libc without the versioned name).
    }
  }
  return undefined;
}

interface BunFfi {
  dlopen(name: string, symbols: Record<string, { args: string[]; returns: string }>): { symbols: Opened };
}

interface DenoFfi {
  dlopen(name: string, symbols: Record<string, { parameters: string[]; result: string }>): { symbols: Opened };
}
