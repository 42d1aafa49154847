import { heldBody, type HeldBody, madeWithProducedBody } from "./held-bodies.ts";

/**
 * Bun's idle timer keeps running while a response is being written. It is
 * re-armed only by Bun's own writes and by writable events, which Linux raises
 * once about a third of the send buffer is free: a client reading slower than
 * that goes a whole period without one, and Bun closes the connection with
 * the rest of the body unsent. Measured: with a 5 s keep-alive timeout, 50 MB
 * read at 1 KB/s were cut within 6 to 10 s; Node and Deno never cut a
 * response that is still being sent.
 *
 * So a body that may outlast the timer is handed to Bun as a stream of small
 * parts, with the timer off while parts remain (as on Node and Deno, a client
 * that stops reading is bounded only by the drain deadline); once Bun asks for
 * a part after the last one, the remainder is in its buffer or the kernel's,
 * and the keep-alive time (plus a margin for that remainder) applies again.
 */

/** Added to the keep-alive time once the last part is taken, for what Bun still holds. */
export const LAST_PART_SECONDS = 20;
// Bodies up to this size go to the socket's send buffer at once.
const SMALL_BODY_BYTES = 64 * 1024;
// At most this much waits in Bun's buffer once the last part is taken.
const PART_BYTES = 16 * 1024;

/**
 * True when a held body (held-bodies.ts) may be too large for the socket's
 * send buffer: measured in characters for a string, which is cheap and
 * close enough for a choice between two ways of sending.
 */
function heldIsLarge(body: NonNullable<HeldBody>): boolean {
  if (typeof body === "string") return body.length > SMALL_BODY_BYTES;
  if (body instanceof Blob) return body.size > SMALL_BODY_BYTES;
  return body.byteLength > SMALL_BODY_BYTES;
}

/**
 * True when the app made the response with no body or a small one held in
 * memory: it goes out at once, so neither an event stream's nor a large
 * body's idle-timer handling can apply, whatever its headers say.
 */
export function isSmallInMemory(response: Response): boolean {
  const body = heldBody(response);
  return body === null || (body !== undefined && !heldIsLarge(body));
}

/** True when the response's body may take longer to send than the idle timer. */
export function mayOutlastIdleTimer(response: Response): boolean {
  if (madeWithProducedBody(response)) return true;
  const body = heldBody(response);
  if (body) return heldIsLarge(body);
  // A Response made elsewhere (fetch, Response.json, before lsky started) is
  // judged by its declared length: a proxied download usually has one.
  const length = response.headers.get("content-length");
  return length !== null && Number(length) > SMALL_BODY_BYTES;
}

/**
 * The same response with its body passed on in parts of at most PART_BYTES.
 * `onPart(false)` runs as Bun takes each part, `onPart(true)` when it asks
 * for more after the last one. Status and headers are kept; Bun sends the
 * stream chunked.
 */
export function paceBody(response: Response, onPart: (last: boolean) => void): Response {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  let pending: Uint8Array | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!pending || pending.byteLength === 0) {
        const next = await reader.read();
        if (next.done) {
          onPart(true);
          return controller.close();
        }
        pending = next.value;
      }
      onPart(false);
      controller.enqueue(pending.subarray(0, PART_BYTES));
      pending = pending.subarray(PART_BYTES);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
