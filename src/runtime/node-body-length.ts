/**
 * The byte length of a response body that @hono/node-server holds as it was
 * given (a string, bytes, or none), read without touching `response.body`:
 * that getter turns its lightweight response into a full undici one, whose
 * stream is then read chunk by chunk, which cut Node's throughput to a third
 * with `--access-log` or `--compress` on. The lightweight response keeps its
 * status, body and headers under a symbol described "cache" until then; any
 * other response gives undefined (the caller reads the body instead).
 */
export function lightweightBodyLength(response: Response): number | undefined {
  const key = cacheKey ?? findCacheKey(response);
  if (key === undefined) return undefined;
  const cached: unknown = (response as unknown as Record<symbol, unknown>)[key];
  if (!Array.isArray(cached)) return undefined;
  const body: unknown = cached[1];
  if (body === null) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}

// The symbol is one per @hono/node-server module, so it is looked for once:
// listing a response's symbols on every request was 2% of a worker's CPU
// with --access-log (a profile of a Node worker).
let cacheKey: symbol | undefined;

function findCacheKey(response: Response): symbol | undefined {
  cacheKey = Object.getOwnPropertySymbols(response).find((key) => key.description === "cache");
  return cacheKey;
}
