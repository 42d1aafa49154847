import { Buffer } from "node:buffer";

/**
 * What the app gave each Response it made, recorded as it is made: a body
 * held in memory (a string, bytes, a blob, or none) or one produced over time
 * (a stream, form data, an async iterable). Bun and Deno keep that to
 * themselves; asking a Response for its body afterwards turns it into a
 * stream that has to be read (about 10 µs a request on Bun), which the access
 * log and compression would otherwise do on every response to learn its size.
 */
export type HeldBody = string | ArrayBuffer | ArrayBufferView | Blob | null;

// Kept on the instance in a private field, not in a WeakMap: on Deno an entry
// per response made `--compress` below its threshold cost 4% of a small
// request's throughput (paired runs), and the private field about 1%.
const PRODUCED = Symbol("produced");
type Recorded = HeldBody | typeof PRODUCED;
let recordedOf: (response: Response) => Recorded | undefined = () => undefined;

function asHeld(body: unknown): HeldBody | undefined {
  if (body === null || body === undefined) return null;
  if (typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof Blob) return body;
  return undefined;
}

let installed = false;

/**
 * Makes the global Response a subclass that records its body as it is made
 * (as @hono/node-server swaps in its own Response on Node). Instances are
 * still `instanceof Response` for the app and for lsky. Responses made before
 * this, or by the engine itself (fetch, Response.json), are not recorded.
 */
export function recordBodies(): void {
  if (installed) return;
  installed = true;
  const Original = globalThis.Response;
  class Response extends Original {
    #recorded: Recorded;

    constructor(body?: BodyInit | null, init?: ResponseInit) {
      super(body, init);
      const kept = asHeld(body);
      this.#recorded = kept === undefined ? PRODUCED : kept;
    }

    static {
      recordedOf = (response) => (#recorded in response ? (response as Response).#recorded : undefined);
    }

    // Bun's and Deno's Response.json, Response.redirect, Response.error and
    // fetch make instances of the engine's class, not of this one: without
    // this, an app's `instanceof Response` would be false for them.
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Original;
    }
  }
  globalThis.Response = Response as typeof globalThis.Response;
}

/**
 * The body the app made the response with, when it was held in memory: null
 * for none, undefined when it was a stream or the response was not recorded.
 */
export function heldBody(response: Response): HeldBody | undefined {
  const recorded = recordedOf(response);
  return recorded === PRODUCED ? undefined : recorded;
}

/** True when the app made the response with a body produced over time (a stream). */
export function madeWithProducedBody(response: Response): boolean {
  return recordedOf(response) === PRODUCED;
}

/** The held body's size in bytes, or undefined when it was not held (see heldBody). */
export function heldBodyLength(response: Response): number | undefined {
  const body = heldBody(response);
  if (body === undefined) return undefined;
  if (body === null) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof Blob) return body.size;
  return body.byteLength;
}
