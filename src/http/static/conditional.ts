/**
 * Validators and conditional requests (RFC 9110 section 13) for files: an
 * ETag made of size and modification time (as nginx makes it), and
 * Last-Modified at one-second resolution, which is all HTTP dates carry.
 */
export interface FileValidators {
  etag: string;
  lastModified: string;
}

export function validatorsFor(size: number, mtimeMs: number): FileValidators {
  return {
    etag: `"${Math.floor(mtimeMs).toString(16)}-${size.toString(16)}"`,
    lastModified: new Date(mtimeMs).toUTCString(),
  };
}

/**
 * Whether a GET or HEAD may be answered 304: If-None-Match when present
 * (weak comparison), otherwise If-Modified-Since.
 */
export function isNotModified(headers: Headers, validators: FileValidators, mtimeMs: number): boolean {
  const noneMatch = headers.get("if-none-match");
  if (noneMatch !== null) return etagListMatches(noneMatch, validators.etag);
  const since = headers.get("if-modified-since");
  if (since === null) return false;
  const sinceMs = Date.parse(since);
  return !Number.isNaN(sinceMs) && Math.floor(mtimeMs / 1000) * 1000 <= sinceMs;
}

/**
 * Whether a Range may be honoured under If-Range: it must name the current
 * strong ETag or the exact Last-Modified date; otherwise the whole file is sent.
 */
export function ifRangeAllows(headers: Headers, validators: FileValidators): boolean {
  const ifRange = headers.get("if-range");
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"')) return value === validators.etag;
  if (value.startsWith("W/")) return false;
  return value === validators.lastModified;
}

function etagListMatches(list: string, etag: string): boolean {
  if (list.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return list.split(",").some((tag) => opaque(tag) === opaque(etag));
}
