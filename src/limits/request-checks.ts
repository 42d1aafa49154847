import type { LimitSettings } from "../config/limit-options.ts";
import { pathStartOf } from "../http/path-start.ts";

/** The limits `checkRequest` needs. */
export type RequestLimits = Pick<LimitSettings, "maxHeaderSize" | "maxHeaderCount" | "maxUrlLength" | "maxBodySize"> & {
  /** False when the engine already refuses heads over maxHeaderSize. */
  countHeaderBytes?: boolean;
};

/** What checkRequest returns for a request that may go on and has a body (0: without one). */
export const HAS_BODY = -1;

/**
 * Checks what an engine has already parsed, before the app sees it, so that
 * every engine refuses the same requests: returns the status to answer with,
 * or 0 / HAS_BODY when the request may go on (the framing headers are read
 * once here, for both answers). Engines that check some of this themselves
 * (Node's parser) refuse earlier; this is the floor for the others.
 */
export function checkRequest(request: Request, limits: RequestLimits): number {
  const url = request.url;
  // The whole URL is never shorter than its path and query: only a long one
  // needs the scan for where the path starts.
  if (url.length > limits.maxUrlLength && requestTargetLength(url) > limits.maxUrlLength) return 414;
  const headers = request.headers;
  return checkHeaders(headers, limits) ||
    framingStatus(headers.get("content-length"), headers.get("transfer-encoding"), limits.maxBodySize);
}

/** Path and query as the client sent them: the URL less scheme and authority. */
export function requestTargetLength(url: string): number {
  const pathStart = pathStartOf(url);
  return pathStart === -1 ? 1 : url.length - pathStart;
}

function checkHeaders(headers: Headers, limits: RequestLimits): number {
  if (overHeaderLimits(headers, limits)) return 431;
  const host = headers.get("host");
  // Engines join repeated fields with ", "; a host never contains a comma.
  if (host === null || host.trim() === "" || host.includes(",")) return 400;
  return 0;
}

function overHeaderLimits(headers: Headers, limits: RequestLimits): boolean {
  // Bun's Headers know their size; counting them is then free.
  const nativeCount = (headers as Headers & { count?: number }).count;
  if (limits.countHeaderBytes === false && typeof nativeCount === "number") return nativeCount > limits.maxHeaderCount;
  let count = 0;
  let bytes = 0;
  for (const [name, value] of headers) {
    count++;
    // "name: value\r\n", as on the wire.
    bytes += name.length + value.length + 4;
  }
  return count > limits.maxHeaderCount || bytes > limits.maxHeaderSize;
}

/**
 * The framing rules, from the Content-Length and Transfer-Encoding values
 * (null when absent): a status to refuse with, or HAS_BODY / 0. Shared with
 * the raw-parse check (prechecked.ts).
 */
export function framingStatus(length: string | null, encoding: string | null, maxBodySize: number): number {
  // RFC 9112 6.1: a request with both may be an attempt to smuggle a request.
  if (length !== null && encoding !== null) return 400;
  if (encoding !== null) return encoding.trim().toLowerCase() === "chunked" ? HAS_BODY : 400;
  if (length === null) return 0;
  if (!/^\d{1,16}$/.test(length.trim())) return 400;
  const bytes = Number(length);
  if (bytes > maxBodySize) return 413;
  return bytes > 0 ? HAS_BODY : 0;
}
