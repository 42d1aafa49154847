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

// Responses whose body is a stream, or a string, buffer or blob larger than
// SMALL_BODY_BYTES, marked as they are made: asking a Response for its body
// afterwards costs Bun about 2 µs a request (it then sends a string through
// its stream path), a fifth of its time for a small response.
const largeBodies = new WeakSet<Response>();
// And those with no body or a small one in memory: the common answer, which
// then needs no look at its headers (Bun builds them on first access).
const smallBodies = new WeakSet<Response>();

function mayBeLarge(body: unknown): boolean {
  if (body === null || body === undefined) return false;
  if (typeof body === "string") return body.length > SMALL_BODY_BYTES;
  if (body instanceof ReadableStream) return true;
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body.byteLength > SMALL_BODY_BYTES;
  if (body instanceof Blob) return body.size > SMALL_BODY_BYTES;
  // FormData, URLSearchParams, async iterables: sized by the engine; take no chance.
  return typeof body === "object";
}

let installed = false;

/**
 * Makes the global Response a subclass that marks large bodies as they are
 * made (as @hono/node-server swaps in its own Response on Node). Instances
 * are still `instanceof Response` for the app and for lsky.
 */
export function trackLargeBodies(): void {
  if (installed) return;
  installed = true;
  const Original = globalThis.Response;
  class Response extends Original {
    constructor(body?: BodyInit | null, init?: ResponseInit) {
      super(body, init);
      (mayBeLarge(body) ? largeBodies : smallBodies).add(this);
    }

    // Bun's Response.json, Response.redirect, Response.error and fetch make
    // instances of the engine's class, not of this one: without this, an
    // app's `instanceof Response` would be false for them.
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Original;
    }
  }
  globalThis.Response = Response as typeof globalThis.Response;
}

/**
 * True when the app made the response with no body or a small one held in
 * memory: it goes out at once, so neither an event stream's nor a large
 * body's idle-timer handling can apply, whatever its headers say.
 */
export function isSmallInMemory(response: Response): boolean {
  return smallBodies.has(response);
}

/** True when the response's body may take longer to send than the idle timer. */
export function mayOutlastIdleTimer(response: Response): boolean {
  if (largeBodies.has(response)) return true;
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
