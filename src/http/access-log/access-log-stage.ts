import type { FetchHandler, LskyContext } from "../../runtime/types.ts";
import { pathStartOf } from "../path-start.ts";
import { countBody } from "./count-body.ts";
import type { AccessEntry } from "./format.ts";
import { createWallClock } from "./wall-clock.ts";

export interface AccessLogOptions {
  worker: number;
  /** Receives each finished entry, which is not changed afterwards (batched-writer.ts formats and writes them). */
  record(entry: AccessEntry): void;
  /** The engine's way to tell a body's length without reading it (EngineAdapter.bodyLength). */
  bodyLength?: (response: Response) => number | undefined;
  /** A clock in milliseconds (performance.now by default), for tests. */
  now?: () => number;
}

/**
 * Logs one line per request. It sits inside the proxy stage so the client
 * address is the forwarded one. Responses whose size is known (a
 * Content-Length, or no body) are logged as soon as the app answers; a
 * streamed body of unknown length is counted as it flows and logged when it
 * ends, so the line has the real byte count and duration.
 */
export function createAccessLogStage(options: AccessLogOptions): (next: FetchHandler) => FetchHandler {
  const now = options.now ?? (() => performance.now());
  const wallAt = createWallClock(now);
  return (next) => (request, context) => {
    const started = now();
    const entry = startEntry(request, context, options.worker, isoAt(wallAt(started)));
    const finish = (response: Response): Response | Promise<Response> => {
      entry.status = response.status;
      const known = knownLength(response, options.bodyLength);
      if (known !== undefined) {
        log(options, entry, known, now() - started);
        return response;
      }
      return countBody(response, (bytes) => log(options, entry, bytes, now() - started));
    };
    const result = next(request, context);
    return result instanceof Promise ? result.then(finish) : finish(result);
  };
}

// Formatting a date costs more than the rest of the line (1.5 us on Bun);
// under load many requests arrive in the same millisecond and share it.
let stampedMs = -1;
let stamp = "";
function isoAt(wallMs: number): string {
  const ms = Math.floor(wallMs);
  if (ms !== stampedMs) {
    stampedMs = ms;
    stamp = new Date(ms).toISOString();
  }
  return stamp;
}

function startEntry(request: Request, context: LskyContext, worker: number, time: string): AccessEntry {
  const { remoteAddr } = context;
  return {
    time,
    worker,
    client: remoteAddr.transport === "unix" && !remoteAddr.hostname ? "unix" : remoteAddr.hostname,
    method: request.method,
    path: pathOf(request.url),
    status: 0,
    bytes: 0,
    durationMs: 0,
  };
}

function pathOf(url: string): string {
  const start = pathStartOf(url);
  return start === -1 ? "/" : url.slice(start);
}

// Statuses that never carry a body (a body given to them is not sent).
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function knownLength(response: Response, bodyLength?: (response: Response) => number | undefined): number | undefined {
  // Never .body before the rest: reading it turns @hono/node-server's
  // lightweight responses into full ones, which costs on Node. The recorded
  // body comes before the headers: Bun builds a response's headers object on
  // first access.
  if (NULL_BODY_STATUS.has(response.status)) return 0;
  const held = bodyLength?.(response);
  if (held !== undefined) return held;
  const header = response.headers.get("content-length");
  if (header !== null && /^\d+$/.test(header)) return Number(header);
  return response.body === null ? 0 : undefined;
}

function log(options: AccessLogOptions, entry: AccessEntry, bytes: number, duration: number): void {
  entry.bytes = bytes;
  entry.durationMs = Math.round(duration * 1000) / 1000;
  options.record(entry);
}
