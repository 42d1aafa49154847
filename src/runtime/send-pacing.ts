/**
 * Bun's idle timer keeps running while a response is being written and is
 * not reset as the client reads: with a 5 s keep-alive timeout, Bun closed
 * connections reading a 50 MB response at 1 KB/s after 6 to 10 s, with
 * megabytes still unsent (measured). Node and Deno never cut a response that
 * is still being sent. So a body that may outlast the timer is handed to Bun
 * as a stream of small parts, and every part Bun asks for (it asks as the
 * socket drains) resets the timer: it then measures a stall of the client,
 * not the length of the download.
 */

/** Bun's longest idle timeout: what a stalled reader gets while parts remain. */
export const SEND_IDLE_SECONDS = 255;
/**
 * Added to the keep-alive time once the last part is taken: the part still in
 * Bun's buffer (at most 16 KiB) leaves within it at 1 KB/s or more, and the
 * connection is not held much longer than any other idle one.
 */
export const LAST_PART_SECONDS = 20;
// Bodies up to this size fit in the socket's send buffer at once.
const SMALL_BODY_BYTES = 64 * 1024;
// After the last part is taken, at most this much waits in Bun for a slow
// client: 16 KiB in 255 s is a client reading 64 bytes a second.
const PART_BYTES = 16 * 1024;

/** True unless the response is known to be small (or has no body). */
export function mayOutlastIdleTimer(response: Response): boolean {
  const length = response.headers.get("content-length");
  if (length !== null && Number(length) <= SMALL_BODY_BYTES) return false;
  return response.body !== null;
}

/**
 * The same response with its body passed on in parts of at most PART_BYTES,
 * calling `progress(false)` each time Bun takes one and `progress(true)` once
 * the last one is taken. Status and headers are kept;
 * Content-Length too, so Bun still sends a fixed-length body as one.
 */
export function paceBody(response: Response, progress: (last: boolean) => void): Response {
  const reader = response.body!.getReader();
  let pending: Uint8Array | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!pending || pending.byteLength === 0) {
        const next = await reader.read();
        if (next.done) {
          progress(true);
          return controller.close();
        }
        pending = next.value;
      }
      progress(false);
      controller.enqueue(pending.subarray(0, PART_BYTES));
      pending = pending.subarray(PART_BYTES);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
