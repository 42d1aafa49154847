import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import type { FileResponseInit } from "../../runtime/types.ts";

const CHUNK_BYTES = 64 * 1024;

/**
 * A Response whose body streams a file (or a byte range of it) in 64 KiB
 * chunks, read only as fast as the client takes them. This is the portable
 * way, for engines without a zero-copy file response (Node, Deno); the file
 * is opened on the first read and closed at the end or on cancel.
 */
export function streamingFileResponse(path: string, init: FileResponseInit): Response {
  const headers = new Headers(init.headers);
  if (init.bodyless) return new Response(null, { status: init.status, headers });
  const start = init.range?.start ?? 0;
  const end = init.range ? init.range.end + 1 : init.size;
  headers.set("content-length", String(end - start));
  // A whole file of at most one chunk is one read either way; as a buffer,
  // read at once like the stat before it, it skips the stream machinery and
  // the thread pool (on Node it more than doubled small-file throughput).
  if (!init.range && init.size <= CHUNK_BYTES) return smallFileResponse(path, init.status, headers);
  return new Response(fileStream(path, start, end), { status: init.status, headers });
}

function smallFileResponse(path: string, status: number, headers: Headers): Response {
  const bytes = readFileSync(path);
  // The file may have changed since it was measured: send what was read.
  headers.set("content-length", String(bytes.byteLength));
  return new Response(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { status, headers });
}

function fileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let position = start;
  const close = async () => {
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        handle ??= await open(path, "r");
        const want = Math.min(CHUNK_BYTES, end - position);
        const buffer = new Uint8Array(want);
        const { bytesRead } = want > 0 ? await handle.read(buffer, 0, want, position) : { bytesRead: 0 };
        position += bytesRead;
        if (bytesRead > 0) controller.enqueue(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
        // A file that shrank since it was measured ends early rather than hangs.
        if (bytesRead === 0 || position >= end) {
          await close();
          controller.close();
        }
      } catch (error) {
        await close();
        controller.error(error);
      }
    },
    cancel: close,
  }, { highWaterMark: 0 });
}
