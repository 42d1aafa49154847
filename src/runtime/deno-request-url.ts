/**
 * Deno's Request reads its URL from the connection once and keeps it in an
 * own property (a symbol described "url"), which its `url` getter returns from
 * then on. Putting the forwarded URL there gives the request a new URL with
 * its shape unchanged; the engine-neutral way (src/http/request-url.ts) swaps
 * the request's prototype, which cost 5 to 8% of a small request's
 * throughput on Deno (paired runs). `clone()` carries the URL over, as there.
 * Undefined when the request has no such property (a Deno without it, or a
 * request made some other way): the caller then uses the neutral way.
 */
export function replaceDenoUrl(request: Request, url: string): Request | undefined {
  const key = urlCacheKey(request);
  if (key === undefined || !Object.hasOwn(request, key)) return undefined;
  const cached = request as Cached;
  cached[key] = url;
  cached.clone = cloneWithUrl;
  return request;
}

type Cached = Request & Record<symbol, string>;

// Looked up once, on the first request that has it.
let cacheKey: symbol | undefined;

function urlCacheKey(request: Request): symbol | undefined {
  cacheKey ??= Object.getOwnPropertySymbols(request).find((key) => key.description === "url");
  return cacheKey;
}

function cloneWithUrl(this: Cached): Request {
  const copy = (Object.getPrototypeOf(this) as Request).clone.call(this);
  return replaceDenoUrl(copy, this.url) ?? copy;
}
