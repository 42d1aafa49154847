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
  // One shared `clone` for every request: no closure made per request.
  return Object.defineProperties(request, { url: { value: url, configurable: true }, clone: CLONE_KEEPING_URL });
}

const CLONE_KEEPING_URL: PropertyDescriptor = {
  configurable: true,
  value(this: Request): Request {
    // The class's own clone (the engine's, or @hono/node-server's on Node), shadowed here.
    const clone = (Object.getPrototypeOf(this) as Request).clone;
    return withUrl(clone.call(this), this.url);
  },
};

/**
 * `new Request(original, init)` takes the URL from the original's internal
 * state, not from an own `url` set by withUrl: this puts it back.
 */
export function carryUrl(original: Request, copy: Request): Request {
  return copy.url === original.url ? copy : withUrl(copy, original.url);
}
