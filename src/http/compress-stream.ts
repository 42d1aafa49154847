import * as zlib from "node:zlib";
import type { Coding } from "./accept-encoding.ts";

type Compressor = zlib.Gzip | zlib.BrotliCompress;
type ZlibWithZstd = typeof zlib & {
  createZstdCompress?: (options?: object) => Compressor;
  zstdCompressSync?: (input: Uint8Array, options?: object) => Buffer;
};

// Levels for compressing on the fly, where speed matters as much as size:
// gzip 6 is zlib's default; brotli's default (11) is meant for build-time
// compression and is tens of times slower, 4 compresses better than gzip 6
// at similar speed; zstd 3 is its default.
const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;
const ZSTD_LEVEL = 3;

/**
 * The codings this engine can produce, in lsky's order of preference. zstd
 * needs node:zlib's zstd support (Bun, Deno, Node 22.15+; not Node 20).
 */
export function availableCodings(): Coding[] {
  const codings: Coding[] = ["br"];
  if (typeof (zlib as ZlibWithZstd).createZstdCompress === "function") codings.push("zstd");
  codings.push("gzip");
  return codings;
}

const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
const ZSTD_OPTIONS = { params: { [100 /* ZSTD_c_compressionLevel */]: ZSTD_LEVEL } };
const GZIP_OPTIONS = { level: GZIP_LEVEL };

function createCompressor(coding: Coding): Compressor {
  switch (coding) {
    case "br":
      return zlib.createBrotliCompress(BROTLI_OPTIONS);
    case "zstd":
      return (zlib as ZlibWithZstd).createZstdCompress!(ZSTD_OPTIONS);
    case "gzip":
      return zlib.createGzip(GZIP_OPTIONS);
  }
}

/** The codings compressBytes can produce here (zstd at once needs zstdCompressSync). */
export function availableByteCodings(): Coding[] {
  return availableCodings().filter((coding) => coding !== "zstd" || typeof (zlib as ZlibWithZstd).zstdCompressSync === "function");
}

/** Compresses bytes at once, at the levels of compressStream (a static file compressed once and kept). */
export function compressBytes(bytes: Uint8Array, coding: Coding): Uint8Array {
  const out = coding === "br"
    ? zlib.brotliCompressSync(bytes, BROTLI_OPTIONS)
    : coding === "zstd"
    ? (zlib as ZlibWithZstd).zstdCompressSync!(bytes, ZSTD_OPTIONS)
    : zlib.gzipSync(bytes, GZIP_OPTIONS);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Compresses a web stream through a node:zlib stream (the one API with brotli
 * and zstd on every engine), pulling from the source only as fast as the
 * client reads the compressed side.
 */
export function compressStream(source: ReadableStream<Uint8Array>, coding: Coding): ReadableStream<Uint8Array> {
  const compressor = createCompressor(coding);
  const reader = source.getReader();
  let finished = false;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const pending: Uint8Array[] = [];
  compressor.on("data", (chunk: Buffer) => {
    pending.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    wake?.();
  });
  compressor.on("end", () => ((finished = true), wake?.()));
  compressor.on("error", (error) => ((failed = error), wake?.()));
  const feed = async () => {
    const { done, value } = await reader.read();
    if (done) compressor.end();
    else if (!compressor.write(value)) await new Promise((r) => compressor.once("drain", r));
    return done;
  };
  let sourceDone = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Feed input until the compressor has output (it buffers small writes).
      while (pending.length === 0 && !finished && failed === undefined) {
        if (sourceDone) await new Promise<void>((r) => (wake = r));
        else sourceDone = await feed().catch((error) => ((failed = error), true));
        wake = undefined;
      }
      if (failed !== undefined) return controller.error(failed);
      if (pending.length > 0) controller.enqueue(concat(pending.splice(0)));
      else if (finished) controller.close();
    },
    cancel(reason) {
      compressor.destroy();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
