import type { FetchApp } from "../app/contract.ts";
import type { FetchHandler, LskyContext } from "../runtime/types.ts";

// On Node, @hono/node-server replaces the global Response with a lighter
// subclass once the server starts. Responses made before that (at module load)
// or by fetch() (a proxy) are instances of the original class only, so a
// Response is an instance of either.
const ORIGINAL_RESPONSE = globalThis.Response;

// The engine's own class first: on Bun the global is lsky's subclass (runtime/send-pacing.ts),
// whose custom instanceof check costs about 5% of a small request's CPU when asked first.
function isResponse(value: unknown): value is Response {
  return value instanceof ORIGINAL_RESPONSE || value instanceof Response;
}

export interface RequestCounters {
  requests: number;
  inflight: number;
}

export interface HandlerOptions {
  /** Show the error's message and stack in 500 bodies. */
  dev: boolean;
  counters: RequestCounters;
  log: (line: string) => void;
}

/**
 * Wraps the app's fetch so that it never throws: an exception, a rejected
 * promise or a value that is not a Response becomes a 500 whose body reveals
 * nothing (outside dev mode), and the error is logged with method and path.
 * Synchronous results stay synchronous so engines keep their fast paths.
 */
export function createHandler(app: FetchApp, options: HandlerOptions): FetchHandler {
  const { counters } = options;
  const fail = (request: Request, error: unknown): Response => {
    counters.inflight--;
    logFailure(options, request, error);
    return errorResponse(options.dev, error);
  };
  const settle = (request: Request, value: unknown): Response => {
    if (isResponse(value)) {
      counters.inflight--;
      return value;
    }
    return fail(request, new TypeError(`the app returned ${describe(value)} instead of a Response`));
  };
  return (request: Request, context: LskyContext) => {
    counters.requests++;
    counters.inflight++;
    let result: unknown;
    try {
      result = app.fetch(request, context);
    } catch (error) {
      return fail(request, error);
    }
    // The common answer first: a Response returned at once.
    if (isResponse(result)) {
      counters.inflight--;
      return result;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then((value) => settle(request, value), (error) => fail(request, error));
    }
    return settle(request, result);
  };
}

/** A promise, or a promise from another library or realm (anything `await` would wait for). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value instanceof Promise ||
    (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function logFailure(options: HandlerOptions, request: Request, error: unknown): void {
  const path = safePath(request.url);
  options.log(`Error handling ${request.method} ${path}: ${describeError(error)}`);
}

function errorResponse(dev: boolean, error: unknown): Response {
  const body = dev ? describeError(error) : "Internal Server Error";
  return new Response(body, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The error's stack, or its name and message. Bun gives some errors (the
 * DOMException a body read throws when the client leaves) an empty stack.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack || `${error.name}: ${error.message}`;
  return String(error);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
