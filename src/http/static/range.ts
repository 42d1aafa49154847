/** A byte range of a file, inclusive at both ends, as in `Content-Range`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks of a file of `size` bytes:
 * - `undefined`: no usable single range (absent, not bytes, malformed, or
 *   several ranges), so the whole file is sent with 200;
 * - `"unsatisfiable"`: a well-formed range that lies outside the file (416);
 * - a `ByteRange` clamped to the file (206).
 * Several ranges would need a multipart/byteranges body; like many servers,
 * lsky answers them with the whole file, which RFC 9110 allows.
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | undefined {
  if (!header) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return undefined; // invalid syntax: ignore the header
  if (start >= size) return "unsatisfiable";
  return { start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}
