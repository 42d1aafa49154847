/**
 * `requestContext()` as `import { requestContext } from "lsky"` gives it. A
 * thin facade over the worker's one AsyncLocalStorage, reached through
 * `globalThis.lsky`: a copy of lsky in the app's node_modules holds no store
 * of its own, so it sees the same requests as the server (docs/HOOKS.md).
 */
import { LskyError } from "../errors.ts";
import type { CurrentRequest } from "./current-request.ts";

type Reader = () => CurrentRequest | undefined;

/**
 * The request whose call tree the caller is in: its `id`, `remoteAddr`,
 * `request`, `workerId` and a per-request `store` (a Map). Undefined outside
 * a request (module top level, a timer the worker started, a bus handler) and
 * outside lsky. Throws REQUEST_CONTEXT_OFF in a worker started without
 * `--request-context` (it is opt-in), where no request would ever be found.
 *
 * @example
 * import { requestContext } from "lsky";
 * export function audit(what: string) {
 *   const current = requestContext();
 *   console.log(`${current?.id ?? "-"} ${current?.remoteAddr.hostname ?? "-"} ${what}`);
 * }
 */
export function requestContext(): CurrentRequest | undefined {
  const lsky = (globalThis as { lsky?: { requestContext?: Reader | false } }).lsky;
  const read = lsky?.requestContext;
  if (typeof read === "function") return read();
  if (read === false) {
    throw new LskyError("REQUEST_CONTEXT_OFF", "requestContext() is off in this server: it is opt-in", {
      hint: "Start lsky with --request-context (or LSKY_REQUEST_CONTEXT=1, or requestContext: true in lsky.config.ts)",
    });
  }
  return undefined;
}

/** Makes the worker's store reachable by the facade; `false` says the setting is off. */
export function installRequestContextGlobal(read: Reader | false): void {
  const target = globalThis as { lsky?: { requestContext?: Reader | false } };
  target.lsky ??= {};
  target.lsky.requestContext = read;
}
