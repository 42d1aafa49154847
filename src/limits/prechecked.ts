import type { LimitSettings } from "../config/limit-options.ts";

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

export function prechecked(request: Request): Prechecked | undefined {
  return (request as Request & { [PRECHECKED]?: Prechecked })[PRECHECKED];
}

export function markPrechecked(request: Request, value: Prechecked): void {
  (request as Request & { [PRECHECKED]?: Prechecked })[PRECHECKED] = value;
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
  const length = head.headers["content-length"];
  const encoding = head.headers["transfer-encoding"];
  if (length !== undefined && encoding !== undefined) return { status: 400 };
  if (encoding !== undefined) {
    return String(encoding).trim().toLowerCase() === "chunked" ? { kind: Prechecked.WithBody } : { status: 400 };
  }
  if (length === undefined) return { kind: Prechecked.WithoutBody };
  if (!/^\d{1,16}$/.test(String(length).trim())) return { status: 400 };
  if (Number(length) > limits.maxBodySize) return { status: 413 };
  return { kind: Number(length) > 0 ? Prechecked.WithBody : Prechecked.WithoutBody };
}
