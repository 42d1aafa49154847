import { LskyError } from "../errors.ts";
import { currentEngine } from "./detect.ts";
import type { EngineAdapter } from "./types.ts";

/**
 * Loads the adapter for the engine this process runs on. Each adapter is
 * imported lazily, so its own code is evaluated only where it serves. The
 * built-in modules an adapter imports are another matter in a bundle: an
 * ESM bundle loads every `node:` import it holds at start, so `bun
 * dist/lsky.mjs` loads node:http and node:http2 (for @hono/node-server) in
 * every worker, about 2.5 MB of its RSS (measured; docs/BENCHMARKS.md,
 * "Memory of an idle server"). The compiled binary does not pay it.
 */
export async function loadAdapter(): Promise<EngineAdapter> {
  switch (currentEngine()) {
    case "bun":
      return (await import("./bun.ts")).bunAdapter;
    case "deno":
      return (await import("./deno.ts")).denoAdapter;
    case "node":
      return (await import("./node.ts")).nodeAdapter;
    default:
      throw new LskyError("ENGINE_UNSUPPORTED", "Cannot serve: unknown engine");
  }
}
