/**
 * A small bounded load: `concurrency` loops each sending one request after
 * another until stopped or `maxRequests` in total were sent. Counts
 * successes and failures (with the first few failures kept for messages).
 */
export interface RequestLoop {
  readonly ok: number;
  readonly failed: number;
  readonly failures: string[];
  /** Stops sending and resolves once every loop has finished its request. */
  stop(): Promise<void>;
}

export function startRequestLoop(send: () => Promise<boolean>, concurrency = 4, maxRequests = 50_000): RequestLoop {
  let running = true;
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
      await Promise.all(loops);
    },
  };
}
