/**
 * RFC 7239 `Forwarded` header parsing. Each proxy appends one element
 * (`for=...;proto=...;host=...`); elements are comma separated; values are
 * tokens or quoted strings (IPv6 `for` values must be quoted and bracketed).
 */
export type ForwardedElement = Record<string, string>;

/** Parses a `Forwarded` header into its elements, leftmost (client side) first. Bad pairs are skipped. */
export function parseForwarded(header: string): ForwardedElement[] {
  const elements: ForwardedElement[] = [];
  let element: ForwardedElement = {};
  let i = 0;
  const n = header.length;
  while (i < n) {
    const char = header[i]!;
    if (char === "," || char === ";" || char === " " || char === "\t") {
      if (char === ",") {
        elements.push(element);
        element = {};
      }
      i++;
      continue;
    }
    const eq = header.indexOf("=", i);
    if (eq === -1) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    const [value, next] = readValue(header, eq + 1);
    if (name && !(name in element)) element[name] = value;
    i = next;
  }
  elements.push(element);
  return elements.filter((e) => Object.keys(e).length > 0);
}

/** Reads a token or a quoted string starting at `start`; returns the value and the index after it. */
function readValue(header: string, start: number): [string, number] {
  if (header[start] !== '"') {
    let end = start;
    while (end < header.length && header[end] !== ";" && header[end] !== ",") end++;
    return [header.slice(start, end).trim(), end];
  }
  let value = "";
  let i = start + 1;
  while (i < header.length && header[i] !== '"') {
    if (header[i] === "\\" && i + 1 < header.length) i++;
    value += header[i];
    i++;
  }
  return [value, i + 1];
}

/**
 * The address part of a `for` value or an X-Forwarded-For entry:
 * `[2001:db8::1]:4711` -> `2001:db8::1`, `192.0.2.1:80` -> `192.0.2.1`.
 * Obfuscated identifiers (`_hidden`, `unknown`) are returned as they are.
 */
export function nodeAddress(node: string): string {
  const value = node.trim();
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    return close === -1 ? value : value.slice(1, close);
  }
  // One colon: IPv4 with a port. Several: a bare IPv6 address (X-Forwarded-For style).
  const colon = value.indexOf(":");
  return colon !== -1 && colon === value.lastIndexOf(":") ? value.slice(0, colon) : value;
}
