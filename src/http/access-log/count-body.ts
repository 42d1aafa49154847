import { concatBytes } from "../concat-bytes.ts";

/**
 * Counts a response body of unknown length for the access log; `done` is
 * called once with the total when the body ends, or with -1 when the reader
 * cancels it (the client went away) or it fails.
 *
 * A body already in memory (a string, bytes, JSON: what most handlers return,
 * without a Content-Length) is read at once and handed on as bytes, so the
 * engine sends it with a Content-Length on its fast path. Passed through a
 * counting stream instead, it went out chunked and tripled the worker's CPU
 * per request on Bun. A body still being produced (an event stream) is never
 * waited for: it is counted as it flows.
 */
export async function countBody(response: Response, done: (bytes: number) => void): Promise<Response> {
  const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for (;;) {
    const next: Read = reader.read();
    // A body larger than this (or endless) is streamed, not held.
    const result = bytes < AT_ONCE_BYTES ? await Promise.race([next, soon()]).catch(() => undefined) : undefined;
    if (result === undefined) return rewrap(response, counted(reader, chunks, bytes, next, done));
    if (result.done) {
      done(bytes);
      return rewrap(response, concatBytes(chunks, bytes));
    }
    chunks.push(result.value);
    bytes += result.value.byteLength;
  }
}

const AT_ONCE_BYTES = 64 * 1024;

/**
 * Settles (with undefined, which no read gives) after two microtask turns: measured on Bun, Deno and Node, long
 * enough for every read of a body held in memory, far too short for a stream
 * whose producer waits on anything.
 */
function soon(): Promise<undefined> {
  return Promise.resolve().then(() => undefined).then(() => undefined);
}

function rewrap(response: Response, body: BodyInit): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}


type Read = ReturnType<ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>["read"]>;

/** The rest of the body, after the chunks already read and the read under way, counted as it flows. */
function counted(source: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>, chunks: Uint8Array<ArrayBuffer>[], counted: number, pending: Read, done: (bytes: number) => void) {
  let bytes = counted;
  let waiting: Read | undefined = pending;
  let finished = false;
  const finish = (total: number) => {
    if (finished) return;
    finished = true;
    done(total);
  };
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
    },
    async pull(controller) {
      try {
        const read = waiting ?? source.read();
        waiting = undefined;
        const { value, done: ended } = await read;
        if (ended) {
          finish(bytes);
          return controller.close();
        }
        bytes += value.byteLength;
        controller.enqueue(value);
      } catch (error) {
        finish(-1);
        controller.error(error);
      }
    },
    cancel(reason) {
      finish(-1);
      return source.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
