/**
 * @hono/node-server's lightweight Response keeps its status, body and headers
 * init as given, in an array under a symbol described "cache", until
 * something reads a part it cannot answer from them (`body`, `text()`...);
 * then the array is gone and a full undici Response stands behind it. Reading
 * the array lets lsky learn about a response without turning it into a full
 * one, which reading `response.body` would.
 */
export type LightweightParts = [status: number, body: unknown, headers: unknown];

/** The lightweight response's parts, or undefined for any other response. */
export function lightweightParts(response: Response): LightweightParts | undefined {
  const key = cacheKey ?? findCacheKey(response);
  if (key === undefined) return undefined;
  const parts: unknown = (response as unknown as Record<symbol, unknown>)[key];
  return Array.isArray(parts) ? (parts as LightweightParts) : undefined;
}

// The symbol is one per @hono/node-server module, so it is looked for once:
// listing a response's symbols on every request was 2% of a worker's CPU
// with --access-log (a profile of a Node worker).
let cacheKey: symbol | undefined;

function findCacheKey(response: Response): symbol | undefined {
  cacheKey = Object.getOwnPropertySymbols(response).find((key) => key.description === "cache");
  return cacheKey;
}
