/**
 * Loads libc functions through the engine's FFI: bun:ffi on Bun, Deno.dlopen
 * on Deno. Node has no FFI and gets undefined. Symbols are declared once, in
 * Bun's shape; Deno's ({ parameters, result }) is derived from it. Only
 * src/runtime/ touches Bun and Deno.
 */

/** An FFI type both engines know: "ptr" is a Uint8Array (or typed array) passed by address. */
export type FfiType = "i32" | "u32" | "i64" | "u64" | "ptr";

export type SymbolSpec = Record<string, { args: FfiType[]; returns: FfiType }>;

export type LibcFunctions<S extends SymbolSpec> = { [K in keyof S]: (...args: unknown[]) => number | bigint };

const LIBC_NAMES = ["libc.so.6", "libc.so"];

/** The functions named in `symbols`, or undefined where the engine has no FFI or no libc was found. */
export async function openLibc<S extends SymbolSpec>(engine: "bun" | "deno" | "node", symbols: S): Promise<LibcFunctions<S> | undefined> {
  try {
    if (engine === "bun") return await openWithBun(symbols);
    if (engine === "deno") return openWithDeno(symbols);
  } catch {
    // An FFI that refuses (a Deno run without --allow-ffi) is no FFI.
  }
  return undefined;
}

/** How a size_t is passed: a number in Bun, a bigint in Deno. */
export function sizeArgument(engine: "bun" | "deno", n: number): number | bigint {
  return engine === "deno" ? BigInt(n) : n;
}

async function openWithBun<S extends SymbolSpec>(symbols: S): Promise<LibcFunctions<S> | undefined> {
  // A computed specifier keeps bundlers for Node from trying to resolve it.
  const specifier = "bun:ffi";
  const ffi = await import(specifier) as BunFfi;
  return openFirst((name) => ffi.dlopen(name, symbols).symbols as LibcFunctions<S>);
}

function openWithDeno<S extends SymbolSpec>(symbols: S): LibcFunctions<S> | undefined {
  const deno = (globalThis as unknown as { Deno: DenoFfi }).Deno;
  const denoType = (type: FfiType) => (type === "ptr" ? "buffer" : type);
  const shaped = Object.fromEntries(Object.entries(symbols).map(([name, spec]) => [
    name,
    { parameters: spec.args.map(denoType), result: denoType(spec.returns) },
  ]));
  return openFirst((name) => deno.dlopen(name, shaped).symbols as LibcFunctions<S>);
}

function openFirst<T>(open: (name: string) => T): T | undefined {
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
  dlopen(name: string, symbols: SymbolSpec): { symbols: unknown };
}

interface DenoFfi {
  dlopen(name: string, symbols: Record<string, { parameters: string[]; result: string }>): { symbols: unknown };
}
