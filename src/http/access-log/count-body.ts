/**
 * Returns the response with its body wrapped so the bytes are counted as they
 * are read; `done` is called once with the total when the body ends, or with
 * -1 when the reader cancels it (the client went away).
 */
export function countBody(response: Response, done: (bytes: number) => void): Response {
  const source = response.body!.getReader();
  let bytes = 0;
  let finished = false;
  const finish = (total: number) => {
    if (finished) return;
    finished = true;
    done(total);
  };
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: ended } = await source.read();
        if (ended) {
          finish(bytes);
          controller.close();
          return;
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
  });
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
