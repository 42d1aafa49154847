import type { FetchHandler } from "../runtime/types.ts";
import type { Stage } from "./stage.ts";
import { type Coding, negotiateEncoding } from "./accept-encoding.ts";
import { isCompressibleType } from "./compressible.ts";
import { compressStream } from "./compress-stream.ts";
import { concatBytes } from "./concat-bytes.ts";

export interface CompressOptions {
  /** Bodies smaller than this many bytes are sent as they are. */
  threshold: number;
  /** What the engine can produce, in order of preference. */
  codings: Coding[];
  /** The engine's way to tell a body's length without reading it (EngineAdapter.bodyLength). */
  bodyLength?: (response: Response) => number | undefined;
}

// Statuses whose bodies are never compressed: no body (204, 304), or a byte
// range of some other representation (206).
const UNTOUCHED_STATUSES = new Set([204, 206, 304]);

/**
 * Compresses response bodies the client accepts compressed: never for HEAD,
 * never twice (a Content-Encoding is left alone), never against
 * `Cache-Control: no-transform`, only for compressible types and bodies of at
 * least `threshold` bytes. Bodies of unknown length are read up to the
 * threshold to decide. Every response that could have been compressed says
 * `Vary: Accept-Encoding`, so caches keep the variants apart.
 */
export function createCompressStage(options: CompressOptions): Stage {
  return (next: FetchHandler): FetchHandler => (request, context) => {
    if (request.method === "HEAD") return next(request, context);
    // Read only for a response that may be compressed: Deno builds a
    // request's Headers on first access, a tenth of a small request's time.
    const accept = () => request.headers.get("accept-encoding");
    const result = next(request, context);
    return result instanceof Promise
      ? result.then((response) => compressResponse(response, accept, options))
      : compressResponse(result, accept, options);
  };
}

/** `accept` is the request's Accept-Encoding, or a way to read it when it is needed. */
export function compressResponse(response: Response, accept: string | null | (() => string | null), options: CompressOptions): Response | Promise<Response> {
  // Below the threshold nothing changes: decided before anything reads the body.
  const held = options.bodyLength?.(response);
  if (held !== undefined && held < options.threshold) return response;
  if (!isEligible(response)) return response;
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) < options.threshold) return response;
  const coding = negotiateEncoding(typeof accept === "function" ? accept() : accept, options.codings);
  if (!coding) return withVary(response);
  if (declared !== null) return compressed(response, response.body!, coding);
  return peek(response.body!, options.threshold).then(({ chunks, size, rest }) => {
    if (rest) return compressed(response, replay(chunks, rest), coding);
    const body = concatBytes(chunks, size);
    const headers = new Headers(response.headers);
    headers.set("content-length", String(size));
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  });
}

function isEligible(response: Response): boolean {
  if (response.body === null || UNTOUCHED_STATUSES.has(response.status) || response.status < 200) return false;
  const headers = response.headers;
  if (headers.has("content-encoding")) return false;
  if (/(^|,)\s*no-transform\s*(,|$)/i.test(headers.get("cache-control") ?? "")) return false;
  return isCompressibleType(headers.get("content-type"));
}

function compressed(response: Response, body: ReadableStream<Uint8Array>, coding: Coding): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-encoding", coding);
  appendVary(headers);
  // The bytes differ from the uncompressed ones, so a strong ETag becomes weak.
  const etag = headers.get("etag");
  if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
  return new Response(compressStream(body, coding), { status: response.status, statusText: response.statusText, headers });
}

/** Adds Vary in place when the headers allow it (keeping a Bun.file body zero-copy), or rewraps. */
function withVary(response: Response): Response {
  try {
    appendVary(response.headers);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    appendVary(headers);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

function appendVary(headers: Headers): void {
  const vary = headers.get("vary");
  if (!vary) return headers.set("vary", "Accept-Encoding");
  if (vary.trim() === "*" || /(^|,)\s*accept-encoding\s*(,|$)/i.test(vary)) return;
  headers.set("vary", `${vary}, Accept-Encoding`);
}

interface Peeked {
  chunks: Uint8Array[];
  size: number;
  /** The reader with the rest of the body, or undefined when the body ended below the threshold. */
  rest?: ReadableStreamDefaultReader<Uint8Array>;
}

async function peek(body: ReadableStream<Uint8Array>, threshold: number): Promise<Peeked> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < threshold) {
    const { done, value } = await reader.read();
    if (done) return { chunks, size };
    chunks.push(value);
    size += value.byteLength;
  }
  return { chunks, size, rest: reader };
}

function replay(chunks: Uint8Array[], rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = chunks.shift();
      if (chunk) return controller.enqueue(chunk);
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => rest.cancel(reason),
  }, { highWaterMark: 0 });
}

