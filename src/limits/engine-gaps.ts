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
      `the header timeout (${settings.headerTimeout} ms) cannot be applied; and ${stopReset("bun", "about 1 in 50,000")}`;
  }
  if (engine !== "deno") return undefined;
  const reset = stopReset("deno", settings.denoServer === "node" && !settings.tlsCert && !settings.listen ? "about 1 in 500,000" : "about 1 in 360");
  if (settings.tlsCert || settings.listen) {
    return `deno serves TLS and Unix sockets with Deno.serve: ${DENO_SERVE_GAPS}, ${DENO_NATIVE_WEBSOCKET}, and ${reset}`;
  }
  if (settings.denoServer === "native") {
    return `deno serves with Deno.serve (the default, --deno-server native): ${DENO_SERVE_GAPS}, ${DENO_NATIVE_WEBSOCKET}, and ${reset}; ` +
      `--deno-server node keeps every other limit at ${DENO_NODE_SPEED} of the speed`;
  }
  return reset;
}

/** The start-up line's few words for what Deno.serve does not keep. */
export const DENO_SERVE_SUMMARY = "deno (Deno.serve) has no header or keep-alive timeout, and reloads reset some new connections";

// What Deno.serve offers no setting or hook for (docs/RELIABILITY.md).
const DENO_SERVE_GAPS = "no header timeout (slowloris connections stay open), no keep-alive timeout " +
  "(idle connections stay open), a refusal's Connection: close does not stop Deno reading the connection " +
  "(lsky refuses whatever else it brings), and its shutdown drops the connections it accepted but had not read yet " +
  "(10,000 keep-alive clients lost 3, 5 and 7 of about 113,000 requests over 3 reloads in three runs, the 7 all on connections " +
  "opened for the request); over HTTP/2 " +
  "it drops the streams that arrived just before it, unanswered";

// Requests per second of lsky on Deno's node:http over lsky on Deno.serve, two
// workers, paired runs (docs/BENCHMARKS.md, the pool suite).
const DENO_NODE_SPEED = "about a third";

// Measured by test/websocket-protocol.test.ts (docs/WEBSOCKET.md).
const DENO_NATIVE_WEBSOCKET = "WebSockets accept unmasked client frames and end the connection without " +
  "a close frame (no 1002/1007) on reserved bits, invalid UTF-8 or any other protocol error";

/**
 * Seen in the storm test (test/faults/reload-storm.test.ts) with
 * tcp_migrate_req on. Likely cause: the engine takes a connection from the
 * kernel just as the worker's listener closes and drops it unread; the kernel
 * only moves connections no process has taken yet, and neither engine can
 * stop accepting without closing.
 */
function stopReset(engine: Engine, rate: string): string {
  return `a worker stopping on ${engine} may reset a connection it accepted as its listener closed ` +
    `(${rate} during reloads; see docs/RELIABILITY.md)`;
}
