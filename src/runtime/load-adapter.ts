import { LskyError } from "../errors.ts";
import { currentEngine } from "./detect.ts";
import type { EngineAdapter } from "./types.ts";

/**
 * Loads the adapter for the engine this process runs on. Each adapter is
 * imported lazily, so its own code is evaluated only where it serves. The
 * built-in modules an adapter imports are another matter in a bundle: an
 * ESM bundle loads every `node:` import it holds at start, so the build
 * stands in for node:http and node:http2 (the Node adapter's, through
 * @hono/node-server) with modules loaded on first use
 * (build/lazy-builtins.mjs); the compiled binary loads built-ins lazily itself.
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
