/** One request, as the access log records it. */
export interface AccessEntry {
  /** ISO 8601, UTC, when the request arrived. */
  time: string;
  /** The worker's slot number (1..N). */
  worker: number;
  /** The client's address (after --trust-proxy), "unix" for a Unix-socket peer without proxy headers. */
  client: string;
  method: string;
  /** Path and query string. */
  path: string;
  status: number;
  /** Body bytes sent; -1 when the client went away before the body ended. */
  bytes: number;
  /** Milliseconds, with microsecond precision. */
  durationMs: number;
}

export type AccessFormatter = (entry: AccessEntry) => string;

/**
 * The text line (without newline). The worker's slot is not repeated: the
 * supervisor's line relay already puts `[wN]` in front of every worker line.
 *
 * @example
 * // [w1] 2026-11-21T05:44:48.123Z 203.0.113.7 "GET /users?page=2" 200 512 1.84ms
 */
export const formatAccessText: AccessFormatter = (e) =>
  `${e.time} ${e.client} "${e.method} ${e.path}" ${e.status} ${e.bytes < 0 ? "-" : e.bytes} ${e.durationMs.toFixed(2)}ms`;

/** One JSON object per line, for `--log-format json`. */
export const formatAccessJson: AccessFormatter = (e) => JSON.stringify({ type: "access", ...e });
