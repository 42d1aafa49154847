type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/** Why a guarded body failed: the status lsky answers with. */
export type BodyFailure = 408 | 413;

export class BodyGuardError extends Error {
  constructor(readonly status: BodyFailure) {
    super(status === 413 ? "Request body is larger than the limit" : "Request body stalled, or arrived slower than the minimum body rate");
    this.name = "BodyGuardError";
  }
}

export interface BodyGuardOptions {
  maxBytes: number;
  /** Longest wait for the next part of the body (0: none). */
  idleMs: number;
  /**
   * Slowest average the body may arrive at, in bytes a second, once `graceMs`
   * passed since the app started reading it (0: none). As Apache's
   * mod_reqtimeout MinRate: each byte received buys 1/minRate s more.
   */
  minRate?: number;
  graceMs?: number;
  /** Called once, before the stream errors, so the stage can answer for the app. */
  onFailure(status: BodyFailure): void;
}

/**
 * Wraps a request body so that reading past `maxBytes`, or waiting longer than
 * `idleMs` for the client, errors the stream the app reads. Engines that do not
 * limit bodies (Node, Deno) or that only know the declared length still refuse
 * a chunked body that grows too big. Pull-based with no buffer, so the idle
 * clock only runs while the app is actually waiting for the client. With a
 * minimum rate, a client trickling a byte just inside every idle limit (one
 * every 29 s against 30 s) no longer holds the connection for good.
 */
export function guardBody(body: ReadableStream<Uint8Array>, options: BodyGuardOptions): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  let startedAt = 0;
  const { minRate = 0, graceMs = 0 } = options;
  // How long the next read may wait: the idle limit, or less once the rate's deadline nears.
  const waitLimit = (): number => {
    if (minRate <= 0) return options.idleMs;
    const deadline = startedAt + graceMs + (total * 1000) / minRate;
    const left = Math.max(1, Math.ceil(deadline - performance.now()));
    return options.idleMs > 0 ? Math.min(options.idleMs, left) : left;
  };
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, status: BodyFailure) => {
    options.onFailure(status);
    reader.cancel().catch(() => {});
    controller.error(new BodyGuardError(status));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let result: ReadResult | "timeout";
      startedAt ||= performance.now();
      try {
        result = await readWithin(reader, waitLimit());
      } catch (error) {
        controller.error(error);
        return;
      }
      if (result === "timeout") return fail(controller, 408);
      if (result.done) return controller.close();
      total += result.value.byteLength;
      if (total > options.maxBytes) return fail(controller, 413);
      controller.enqueue(result.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number,
): Promise<ReadResult | "timeout"> {
  if (idleMs <= 0) return reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), idleMs);
  });
  return Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
}
