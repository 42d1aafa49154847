/**
 * Runs a full garbage collection when the engine allows it: always on Bun
 * (`Bun.gc`), on Node and Deno only when V8 was started with `--expose-gc`
 * (NODE_OPTIONS or DENO_V8_FLAGS). True when a collection ran.
 *
 * For measuring what a process retains: without it, its heap holds garbage
 * the engine has not yet chosen to collect, which hides a slow leak.
 */
export function collectGarbage(): boolean {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) {
    g.Bun.gc(true);
    return true;
  }
  if (typeof g.gc !== "function") return false;
  g.gc();
  return true;
}

/**
 * A function that runs a full collection, switching V8's `--expose-gc` on at
 * run time when the engine was not started with it (Node and Deno both
 * honour `v8.setFlagsFromString`; the flag takes effect for contexts made
 * afterwards, hence the fresh one). Undefined when the engine offers no way.
 */
export async function enableGarbageCollection(): Promise<(() => void) | undefined> {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) return () => g.Bun!.gc(true);
  if (typeof g.gc === "function") return g.gc;
  try {
    const v8 = await import("node:v8");
    const vm = await import("node:vm");
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
