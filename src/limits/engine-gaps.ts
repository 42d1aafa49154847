import type { LimitSettings } from "../config/limit-options.ts";
import type { Engine } from "../runtime/types.ts";

/**
 * Promises an engine cannot keep and lsky cannot keep for it (see the table
 * in docs/RELIABILITY.md). Returned as one line for the start-up warning, or
 * undefined when the engine keeps every promise.
 */
export function engineGapWarning(
  engine: Engine,
  settings: Pick<LimitSettings, "headerTimeout" | "denoServer"> & { tlsCert?: string; listen?: string },
): string | undefined {
  if (engine === "bun") {
    return `bun reads the header section under its own fixed ~10 s timer and then closes without a 408; ` +
      `the header timeout (${settings.headerTimeout} ms) cannot be applied; and a worker stopping on bun ` +
      `may reset a connection it accepted as its listener closed (about 1 in 50,000 during reloads; see docs/RELIABILITY.md)`;
  }
  if (engine === "deno" && (settings.tlsCert || settings.listen)) {
    return "deno serves TLS and Unix sockets with Deno.serve: no header timeout (slowloris connections stay open) and " +
      "Connection: close does not stop Deno reading the connection (see docs/RELIABILITY.md)";
  }
  if (engine === "deno" && settings.denoServer === "native") {
    return "deno with --deno-server native: no header timeout (slowloris connections stay open) and " +
      "Connection: close does not stop Deno reading the connection; use --deno-server node (the default) to keep every limit";
  }
  return undefined;
}
