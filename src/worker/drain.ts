import type { HttpServer } from "../runtime/types.ts";
import type { RequestCounters } from "./handler.ts";

// A listener that saw no request for this long is taken to have an empty
// accept queue: every keep-alive client it had was told `Connection: close`
// and reconnected, and the kernel now hashes them to the other workers.
const QUIET_MS = 150;
const POLL_MS = 25;
// The quiet wait is bounded: against clients that open a new connection per
// request the listener never goes quiet, and a reload must not stall on it.
// It never takes more than half the grace period either, so in-flight
// requests keep the rest.
const QUIET_MAX_MS = 1000;
const QUIET_SHARE = 0.5;

export interface DrainPlan {
  /** How long to answer with `Connection: close` before anything else. */
  drainDelay: number;
  /** Time for in-flight requests after the delay, before connections are dropped. */
  gracePeriod: number;
  /** A replacement already serves the port: wait for the listener to go quiet first. */
  handover: boolean;
  /** The keep-alive idle time: how long a client may wait between requests on one connection. */
  keepAliveTimeout: number;
  /** No earlier than the last request before the drain (RequestActivity); unknown means the drain's start. */
  lastRequestBound?: number;
  /** The WebSockets' own drain: waited for before closing a server that would close them too (closesWebSockets). */
  socketsClosed?: Promise<void>;
}

// On a handover, idle connections are closed only once idle this share of
// the grace period at most, so the other half is left to in-flight requests.
const IDLE_MARGIN_SHARE = 0.5;

/**
 * How long a connection must have been idle before a handover closes it: the
 * keep-alive timeout, because a client that sends within it relies on the
 * connection staying open (and meets `Connection: close` instead), while one
 * idle longer would have been closed by the keep-alive timer anyway. Capped
 * by the grace period.
 */
export function idleMarginFor(plan: Pick<DrainPlan, "gracePeriod" | "keepAliveTimeout">): number {
  return Math.min(plan.keepAliveTimeout, plan.gracePeriod * IDLE_MARGIN_SHARE);
}

/**
 * Drains a server without failing a request:
 * 1. for `drainDelay` every response carries `Connection: close` (the caller's
 *    `shouldClose` is already true), so keep-alive clients reconnect;
 * 2. on a handover, the listener stays open until no request arrived for
 *    QUIET_MS. Closing a SO_REUSEPORT listener resets the connections queued
 *    on it (unless net.ipv4.tcp_migrate_req=1), and under steady keep-alive
 *    load new connections keep landing on it until clients have moved;
 * 3. the listener closes and in-flight requests finish. On a stop, idle
 *    connections close at once (nobody will answer their clients' next
 *    request anyway); on a handover each closes only once idle past
 *    idleMarginFor(), because closing a kept-alive connection races the
 *    request its client may be sending on it (that client sees a reset).
 *    Where the engine cannot keep idle connections while it stops accepting
 *    (Bun, Deno.serve), the listener closes only once the margin has passed
 *    since the drain began; by then every client that sent within it was
 *    told to close; a worker without a request for the margin closes at
 *    once. Whatever still runs at the grace deadline is dropped.
 */
export async function drainServer(server: HttpServer, counters: RequestCounters, plan: DrainPlan): Promise<void> {
  const started = Date.now();
  await sleep(plan.drainDelay);
  const graceEnds = Date.now() + plan.gracePeriod;
  const idleMargin = idleMarginFor(plan);
  if (plan.handover) await untilQuiet(counters, Date.now() + Math.min(QUIET_MAX_MS, plan.gracePeriod * QUIET_SHARE));
  // An engine that closes every idle connection as it stops accepting keeps
  // serving (every answer says Connection: close) until every connection idle
  // since the drain began has reached the margin; the listener closes after
  // that. Measured with Bun and tcp_migrate_req=0, holding after the quiet
  // wait reset fewer queued connections than holding before it (RELIABILITY.md).
  // Connections idle since before the last request cannot be younger than
  // it, so a worker that had no request for the margin closes at once.
  const lastUse = Math.min(started, plan.lastRequestBound ?? started);
  if (plan.handover && !server.keepsIdleConnections) await sleep(lastUse + idleMargin - Date.now());
  // Otherwise a drain period longer than the margin would end in the engine's 1001, not the hub's 1012.
  if (server.closesWebSockets && plan.socketsClosed) await settledOrAt(plan.socketsClosed, graceEnds);
  const force = setTimeout(() => server.forceClose(), Math.max(0, graceEnds - Date.now()));
  try {
    await server.close(plan.handover && server.keepsIdleConnections ? { idleMargin } : undefined);
  } finally {
    clearTimeout(force);
  }
}

/** Resolves once the request count stood still for QUIET_MS, or at `deadline`. */
async function untilQuiet(counters: RequestCounters, deadline: number): Promise<void> {
  let seen = counters.requests;
  let stillSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    if (counters.requests !== seen) {
      seen = counters.requests;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= QUIET_MS) {
      return;
    }
  }
}

/** Resolves when `promise` settles or at `deadline` (Date.now() time), whichever comes first; the timer goes with it. */
function settledOrAt(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  const settled = promise.then(() => {}, () => {});
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
