/**
 * The request with its URL replaced in place: the same object gets a
 * prototype that reads the URL from it, above the engine's own. Built anew
 * (`new Request(url, request)`), the request cost a third of Bun's
 * throughput and three quarters of Node's, where @hono/node-server's
 * lightweight request turns into a full undici one; an own `url` property
 * (Object.defineProperties) cost 14% of Deno's on a small request, this 6%
 * (docs/BENCHMARKS.md, options). `clone()` carries the URL too, and so does
 * lsky's own copy in the limits stage (`carryUrl`). Only a `new
 * Request(req)` the app makes itself gets the URL the connection came in on.
 */
export function withUrl(request: Request, url: string): Request {
  (request as Forwarded)[URL_OF] = url;
  return Object.setPrototypeOf(request, forwardedPrototypeOf(Object.getPrototypeOf(request) as Request));
}

const URL_OF = Symbol("lsky.url");
type Forwarded = Request & { [URL_OF]: string };

// One per engine class (Bun's, Deno's, @hono/node-server's): made once.
const forwardedPrototypes = new WeakMap<Request, Request>();

function forwardedPrototypeOf(original: Request): Request {
  let prototype = forwardedPrototypes.get(original);
  if (!prototype) {
    prototype = Object.create(original, {
      url: { configurable: true, get(this: Forwarded) { return this[URL_OF]; } },
      clone: { configurable: true, value(this: Forwarded) { return withUrl(original.clone.call(this), this[URL_OF]); } },
    }) as Request;
    forwardedPrototypes.set(original, prototype);
  }
  return prototype;
}

/**
 * `new Request(original, init)` takes the URL from the original's internal
 * state, not from an own `url` set by withUrl: this puts it back.
 */
export function carryUrl(original: Request, copy: Request): Request {
  return copy.url === original.url ? copy : withUrl(copy, original.url);
}
