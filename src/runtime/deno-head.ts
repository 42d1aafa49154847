import type { LimitSettings } from "../config/limit-options.ts";
import type { HeaderFields } from "./types.ts";
import { Prechecked } from "../limits/prechecked.ts";
import { framingStatus, HAS_BODY, requestTargetLength } from "../limits/request-checks.ts";

type HeadLimits = Pick<LimitSettings, "maxHeaderSize" | "maxHeaderCount" | "maxUrlLength" | "maxBodySize">;

// A Deno.serve request keeps its inner request under an own symbol, and the
// inner request's `headerList` is every field as the client spelled it, from
// one call into Deno. Read there, not through `request.headers`: iterating the
// Headers sorts and joins them (about a fifth of a hello request's time), and
// once a handler has touched `request.headers` at all, Deno.serve sends even
// a response returned at once a turn later, through a promise (a hello that
// touches them serves 0.89 to 0.92 of one that does not; reading the list
// from the inner request costs 0.95 to 0.98, paired runs). A request without
// that inner list gets undefined, and the limits stage checks its Headers as
// on every other engine.
let innerKey: symbol | undefined;

function headerList(request: Request): HeaderFields | undefined {
  // Looked up until found: only requests Deno.serve made reach here, once it serves.
  innerKey ??= Object.getOwnPropertySymbols(request).find((key) => key.description === "request");
  if (innerKey === undefined) return undefined;
  const list = (request as unknown as Record<symbol, { headerList?: unknown } | undefined>)[innerKey]?.headerList;
  return Array.isArray(list) ? (list as HeaderFields) : undefined;
}

// The field list of the request checked last. Deno builds the list anew on
// every read (about 0.3 us); the stages that run right after the check (the
// proxy stage) use this one again, for the same request only.
let lastChecked: Request | undefined;
let lastList: HeaderFields | undefined;
let lastUpgrade: string | null = null;

/** The raw field list checkDenoHead walked, when `request` is the one it checked last. */
export function checkedHeaderFields(request: Request): HeaderFields | undefined {
  return request === lastChecked ? lastList : undefined;
}

/**
 * The Upgrade field (null: none) of the request checkDenoHead passed last, or
 * undefined for any other request. Asking `request.headers` instead would
 * expose the Headers (see headerList above).
 */
export function checkedUpgrade(request: Request): string | null | undefined {
  return request === lastChecked ? lastUpgrade : undefined;
}

/**
 * The checks of request-checks.ts on Deno.serve's raw field list: the status
 * to refuse with, the kind of request that may go on, or undefined when the
 * list cannot be read (the limits stage then checks the request itself).
 */
export function checkDenoHead(request: Request, limits: HeadLimits): { status: number } | { kind: Prechecked } | undefined {
  const list = headerList(request);
  if (list === undefined) return undefined;
  lastChecked = request;
  lastList = list;
  lastUpgrade = null;
  const url = request.url;
  if (url.length > limits.maxUrlLength && requestTargetLength(url) > limits.maxUrlLength) return { status: 414 };
  if (list.length > limits.maxHeaderCount) return { status: 431 };
  let bytes = 0;
  let hosts = 0;
  let host = "";
  let length: string | null = null;
  let encoding: string | null = null;
  let upgrade: string | null = null;
  for (const [name, value] of list) {
    // "name: value\r\n", as on the wire.
    bytes += name.length + value.length + 4;
    // Only a name of the right length is lower-cased and compared.
    if (name.length === 4 && name.toLowerCase() === "host") {
      hosts++;
      host = value;
    } else if (name.length === 14 && name.toLowerCase() === "content-length") length = length === null ? value : `${length}, ${value}`;
    else if (name.length === 17 && name.toLowerCase() === "transfer-encoding") encoding = encoding === null ? value : `${encoding}, ${value}`;
    else if (name.length === 7 && name.toLowerCase() === "upgrade") upgrade = upgrade === null ? value : `${upgrade}, ${value}`;
  }
  lastUpgrade = upgrade;
  if (bytes > limits.maxHeaderSize) return { status: 431 };
  if (hosts !== 1 || host.trim() === "" || host.includes(",")) return { status: 400 };
  const status = framingStatus(length, encoding, limits.maxBodySize);
  if (status > 0) return { status };
  return { kind: status === HAS_BODY ? Prechecked.WithBody : Prechecked.WithoutBody };
}
