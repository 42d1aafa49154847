import type { LimitSettings } from "../config/limit-options.ts";
import type { FetchHandler, LskyContext } from "../runtime/types.ts";
import type { EngineFacts, Stage } from "../http/stage.ts";
import { carryUrl } from "../http/request-url.ts";
import { type BodyFailure, guardBody } from "./body-guard.ts";
import { Prechecked, prechecked } from "./prechecked.ts";
import { checkRequest, HAS_BODY } from "./request-checks.ts";
import { refusal } from "./responses.ts";

/**
 * The engine-neutral limits stage: refuses what `checkRequest` finds, guards
 * the body (size while it streams, idle time between reads) and bounds the
 * handler's time. Requests without a body and without a handler timeout go
 * through untouched, so the common GET keeps the engine's fast path.
 */
export function createLimitsStage(limits: LimitSettings, engine: EngineFacts = { headCeiling: 0, prechecks: true }): Stage {
  // When the engine refuses any head larger than lsky's header limit, counting
  // header bytes again is wasted work (about 1 µs a request on Bun).
  const ceiling = engine.headCeiling;
  const checks = { ...limits, countHeaderBytes: !(ceiling > 0 && ceiling <= limits.maxHeaderSize) };
  return (next) => (request, context) => {
    const pre = engine.prechecks ? prechecked(request) : undefined;
    if (pre !== undefined) {
      if (pre === Prechecked.WithoutBody && limits.requestTimeout === 0) return next(request, context);
      return guarded(next, request, context, pre === Prechecked.WithBody, limits);
    }
    const status = checkRequest(request, checks);
    if (status > 0) return refusal(status);
    const hasBody = status === HAS_BODY;
    if (!hasBody && limits.requestTimeout === 0) return next(request, context);
    return guarded(next, request, context, hasBody, limits);
  };
}

function guarded(
  next: FetchHandler,
  original: Request,
  context: LskyContext,
  hasBody: boolean,
  limits: LimitSettings,
): Response | Promise<Response> {
  let failure: BodyFailure | 0 = 0;
  const timeout = limits.requestTimeout > 0 ? new AbortController() : undefined;
  const init: RequestInit & { duplex?: "half" } = {};
  if (hasBody && original.body) {
    init.body = guardBody(original.body, {
      maxBytes: limits.maxBodySize,
      idleMs: limits.bodyTimeout,
      minRate: limits.minBodyRate,
      graceMs: limits.bodyRateGrace,
      onFailure: (status) => void (failure ||= status),
    });
    init.duplex = "half";
  }
  if (timeout) init.signal = AbortSignal.any([original.signal, timeout.signal]);
  const request = rebuild(original, init);
  const finish = (response: Response): Response => {
    if (!failure) return response;
    response.body?.cancel().catch(() => {});
    return refusal(failure);
  };
  const result = next(request, context);
  if (!timeout) return result instanceof Promise ? result.then(finish) : finish(result);
  return withDeadline(Promise.resolve(result).then(finish), limits.requestTimeout, timeout);
}

/** A copy of the request with a guarded body or a deadline signal. */
function rebuild(original: Request, init: RequestInit): Request {
  try {
    return carryUrl(original, new Request(original, init));
  } catch {
    // A GET or HEAD with a declared body cannot be rebuilt with one; its
    // length was already checked, so it goes on as it came.
    return original;
  }
}

function withDeadline(result: Promise<Response>, ms: number, timeout: AbortController): Promise<Response> {
  return new Promise((resolve) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      timeout.abort(new DOMException("The request timeout passed", "TimeoutError"));
      resolve(refusal(504));
    }, ms);
    void result.then((response) => {
      clearTimeout(timer);
      if (late) response.body?.cancel().catch(() => {});
      else resolve(response);
    });
  });
}
