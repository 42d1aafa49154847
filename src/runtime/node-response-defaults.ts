import { lightweightParts } from "./node-lightweight.ts";

/** What @hono/node-server gives a string body in every other case. */
const DEFAULT_TEXT_TYPE = "text/plain; charset=UTF-8";

type HeadersInit = Headers | [string, string][] | Record<string, unknown> | null | undefined;

/**
 * Makes a response the app built with a string or bytes body go out on Node
 * with the fields Bun and Deno give it. @hono/node-server writes them as
 * follows: a plain-object headers init is handed to `writeHead` as given, so
 * a string body gets no content type (Bun and Deno add a text/plain one);
 * bytes get "text/plain" unless the init is a plain object (the Fetch
 * standard gives bytes none, as Deno does; Bun says application/octet-stream);
 * and the app's own Content-Length is sent even when the body is shorter,
 * which leaves a keep-alive client waiting for bytes that never come (Bun and
 * Deno send the body's length). The app's headers object is never changed: it
 * may be shared between responses, so a correction is made on a copy.
 */
export function keepResponseDefaults(response: Response): void {
  const parts = lightweightParts(response);
  if (parts === undefined) return;
  const body = parts[1];
  const init = parts[2] as HeadersInit;
  if (typeof body === "string") parts[2] = textFields(init, body);
  else if (body instanceof Uint8Array) parts[2] = bytesFields(init, body);
}

/** @hono/node-server adds the text type itself to any init but a plain object. */
function textFields(init: HeadersInit, body: string): HeadersInit {
  if (init === undefined || init === null) return init;
  if (init instanceof Headers) return withTrueLength(init, body);
  if (Array.isArray(init)) return declaresLength(init) ? withTrueLength(new Headers(init), body) : init;
  return withPlainDefaults(init, body, DEFAULT_TEXT_TYPE);
}

/** A plain object is the one init @hono/node-server sends bytes with no type under. */
function bytesFields(init: HeadersInit, body: Uint8Array): HeadersInit {
  if (init === undefined || init === null) return {};
  if (init instanceof Headers || Array.isArray(init)) {
    const headers = init instanceof Headers ? init : new Headers(init);
    return headers.has("content-type") ? withTrueLength(headers, body) : withPlainDefaults(toRecord(headers), body, undefined);
  }
  return withPlainDefaults(init, body, undefined);
}

function withTrueLength(headers: Headers, body: string | Uint8Array): Headers {
  const declared = headers.get("content-length");
  if (declared === null) return headers;
  const length = String(byteLength(body));
  if (declared.trim() === length) return headers;
  const copy = new Headers(headers);
  copy.set("content-length", length);
  return copy;
}

function declaresLength(pairs: unknown[]): boolean {
  return pairs.some((pair) => Array.isArray(pair) && String(pair[0]).toLowerCase() === "content-length");
}

function withPlainDefaults(headers: Record<string, unknown>, body: string | Uint8Array, defaultType: string | undefined): Record<string, unknown> {
  let hasType = false;
  let lengthKey: string | undefined;
  for (const key in headers) {
    if (key.length === 12 && key.toLowerCase() === "content-type") hasType = true;
    else if (key.length === 14 && key.toLowerCase() === "content-length") lengthKey = key;
  }
  const addType = !hasType && defaultType !== undefined;
  const length = lengthKey === undefined ? undefined : String(byteLength(body));
  const fixLength = length !== undefined && String(headers[lengthKey!]).trim() !== length;
  if (!addType && !fixLength) return headers;
  const copy = { ...headers };
  if (addType) copy["content-type"] = defaultType;
  if (fixLength) copy[lengthKey!] = length;
  return copy;
}

/** The fields as node:http's writeHead takes them: each Set-Cookie kept apart. */
function toRecord(headers: Headers): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of headers) if (name !== "set-cookie") record[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record["set-cookie"] = cookies;
  return record;
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}
