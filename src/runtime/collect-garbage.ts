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
