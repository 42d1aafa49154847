import { LskyError } from "../errors.ts";
import { currentEngine } from "./detect.ts";
import type { EngineAdapter } from "./types.ts";

/**
 * Loads the adapter for the engine this process runs on. Each adapter is
 * imported lazily so that, say, the Node adapter's `node:http` graph is never
 * loaded in a Bun worker.
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
