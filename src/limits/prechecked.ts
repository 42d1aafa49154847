import type { LimitSettings } from "../config/limit-options.ts";
import { framingStatus, HAS_BODY } from "./request-checks.ts";

/**
 * A mark an adapter puts on a Request whose head it already checked against
 * lsky's limits from the raw parse (node-http.ts): the limits stage then skips
 * its own checks, which would read `request.url` and `request.headers` and so
 * make @hono/node-server build the full Request it otherwise builds lazily
 * (about a quarter of Node's time per request, measured).
 */
export const PRECHECKED = Symbol.for("lsky.prechecked");

export const Prechecked = { WithoutBody: 1, WithBody: 2 } as const;
export type Prechecked = (typeof Prechecked)[keyof typeof Prechecked];

type Marked = { [PRECHECKED]?: Prechecked };

/** The mark on a Request, or on the engine's own request object it came from (Node's IncomingMessage). */
export function prechecked(request: object): Prechecked | undefined {
  return (request as Marked)[PRECHECKED];
}

export function markPrechecked(request: object, value: Prechecked): void {
  (request as Marked)[PRECHECKED] = value;
}

export interface RawHead {
  url?: string;
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The checks of request-checks.ts on a raw parse: the status to refuse with,
 * or the kind of request that may go on. Host is checked by the adapter.
 */
export function checkRawHead(
  head: RawHead,
  limits: Pick<LimitSettings, "maxHeaderSize" | "maxHeaderCount" | "maxUrlLength" | "maxBodySize">,
): { status: number } | { kind: Prechecked } {
  if ((head.url ?? "").length > limits.maxUrlLength) return { status: 414 };
  const raw = head.rawHeaders;
  if (raw.length / 2 > limits.maxHeaderCount) return { status: 431 };
  let bytes = 0;
  for (let i = 0; i < raw.length; i++) bytes += raw[i]!.length;
  // "name: value\r\n" per field, as on the wire.
  if (bytes + (raw.length / 2) * 4 > limits.maxHeaderSize) return { status: 431 };
  const status = framingStatus(fieldValue(head.headers["content-length"]), fieldValue(head.headers["transfer-encoding"]), limits.maxBodySize);
  if (status > 0) return { status };
  return { kind: status === HAS_BODY ? Prechecked.WithBody : Prechecked.WithoutBody };
}

function fieldValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : String(value);
}
