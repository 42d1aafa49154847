/**
 * A small bounded load: `concurrency` loops each sending one request after
 * another until stopped, until MAX_SECONDS have passed, or until `maxRequests`
 * in total were sent. Bounded by time first: a keep-alive loop over a Unix
 * socket sends 50,000 requests in a few seconds, so a count alone can run out
 * while a test still waits for answers (a reload in the middle).
 */
export interface RequestLoop {
  readonly ok: number;
  readonly failed: number;
  readonly failures: string[];
  /** Stops sending and resolves once every loop has finished its request. */
  stop(): Promise<void>;
}

const MAX_SECONDS = 120;

export function startRequestLoop(send: () => Promise<boolean>, concurrency = 4, maxRequests = Infinity): RequestLoop {
  let running = true;
  const stopTimer = setTimeout(() => (running = false), MAX_SECONDS * 1000).unref();
  let sent = 0;
  const state = { ok: 0, failed: 0, failures: [] as string[] };
  const loop = async () => {
    while (running && sent < maxRequests) {
      sent++;
      try {
        if (await send()) state.ok++;
        else throw new Error("unexpected response");
      } catch (error) {
        state.failed++;
        if (state.failures.length < 5) state.failures.push(String((error as Error).cause ?? error));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    get ok() {
      return state.ok;
    },
    get failed() {
      return state.failed;
    },
    failures: state.failures,
    stop: async () => {
      running = false;
      clearTimeout(stopTimer);
      await Promise.all(loops);
    },
  };
}
