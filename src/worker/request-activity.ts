import type { RequestCounters } from "./handler.ts";

// How often the request count is looked at. Reading a clock per request
// would cost the hot path; a tick bounds the last request to within this.
const TICK_MS = 250;

export interface RequestActivity {
  /**
   * A moment no earlier than the last request so far: the tick that last saw
   * the count move, now if it moved since the last tick, or -Infinity while
   * no request has come.
   */
  lastRequestBound(): number;
  stop(): void;
}

/**
 * Watches the request count on a timer, so a drain can tell how long the
 * worker has been without requests: a kept-alive connection idle for longer
 * than the keep-alive timeout is safe to close at once.
 */
export function watchRequestActivity(counters: RequestCounters, now = Date.now, tickMs = TICK_MS): RequestActivity {
  let seen = counters.requests;
  let movedAt = counters.requests === 0 ? -Infinity : now();
  const look = () => {
    if (counters.requests === seen) return;
    seen = counters.requests;
    movedAt = now();
  };
  const timer = setInterval(look, tickMs);
  // Never the reason a worker stays alive.
  (timer as { unref?: () => void }).unref?.();
  return {
    lastRequestBound: () => (counters.requests === seen ? movedAt : now()),
    stop: () => clearInterval(timer),
  };
}
