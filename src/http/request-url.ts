/**
 * The request with its URL replaced in place: an own `url` property shadows
 * the prototype's getter on the one object, which every engine allows. Built
 * anew (`new Request(url, request)`), the request cost a third of Bun's
 * throughput and three quarters of Node's, where @hono/node-server's
 * lightweight request turns into a full undici one (docs/BENCHMARKS.md,
 * options). `clone()` carries the URL too, and so does lsky's own copy in the
 * limits stage (`carryUrl`). Only a `new Request(req)` the app makes itself
 * gets the URL the connection came in on.
 */
export function withUrl(request: Request, url: string): Request {
  const clone = request.clone;
  Object.defineProperty(request, "url", { value: url, configurable: true });
  Object.defineProperty(request, "clone", { value: () => withUrl(clone.call(request), url), configurable: true });
  return request;
}

/**
 * `new Request(original, init)` takes the URL from the original's internal
 * state, not from an own `url` set by withUrl: this puts it back.
 */
export function carryUrl(original: Request, copy: Request): Request {
  return copy.url === original.url ? copy : withUrl(copy, original.url);
}
