import { readFileSync } from "node:fs";
import { type Coding, negotiateEncoding } from "../accept-encoding.ts";
import { compressBytes } from "../compress-stream.ts";
import { isCompressibleType } from "../compressible.ts";
import type { FileValidators } from "./conditional.ts";
import { type HotFile, type HotFiles, textMemory } from "./hot-files.ts";

/** --compress, as the static stage applies it: each file compressed once and kept. */
export interface StaticCompression {
  threshold: number;
  /** What compressBytes can produce here, in order of preference. */
  codings: Coding[];
}

/** The bytes a response for a file sends: a file on disk, or bytes kept in memory. */
export interface Representation {
  /** The file to send from disk (the identity file or a precompressed sibling). */
  path: string;
  size: number;
  mtimeMs: number;
  validators: FileValidators;
  /** Bytes in memory, sent instead of the file. */
  bytes?: Uint8Array;
  /** The same bytes as text, sent in their place where the engine sends text faster (TextBody). */
  text?: string;
}

/**
 * The engine's text form of bytes kept in memory (EngineAdapter.textBody),
 * or undefined to send the bytes: Deno copies a byte body on every response
 * and a text body not.
 */
export type TextBody = (bytes: Uint8Array) => string | undefined;

// Largest file compressed at once and kept: above it the compress stage
// streams it on every request as before (a few ms of CPU once per file and
// coding below it).
const COMPRESS_ONCE_MAX_BYTES = 1024 * 1024;

/**
 * What answers a GET or HEAD of a file: a precompressed sibling the client
 * accepts, else the file compressed here once (--compress), else the file
 * itself, from memory when it is small enough to keep. Sets Vary and
 * Content-Encoding in `headers`. A range is always of the file itself.
 */
export function chooseRepresentation(
  hot: HotFile, request: Request, headers: Record<string, string>,
  how: { files: HotFiles; compression?: StaticCompression; textBody?: TextBody; ranged: boolean; bodyless: boolean },
): Representation {
  const identity = { path: hot.file.path, size: hot.file.size, mtimeMs: hot.file.mtimeMs, validators: hot.validators };
  if (hot.siblings.size > 0) {
    headers.vary = "Accept-Encoding";
    const coding = how.ranged ? undefined : negotiateEncoding(request.headers.get("accept-encoding"), [...hot.siblings.keys()]);
    const sibling = coding && hot.siblings.get(coding);
    if (!sibling) return how.bodyless || how.ranged ? identity : { ...identity, ...kept(hot, how) };
    headers["content-encoding"] = coding;
    return { path: sibling.file.path, size: sibling.file.size, mtimeMs: sibling.file.mtimeMs, validators: sibling.validators };
  }
  // HEAD and ranges are never compressed (as by the compress stage).
  if (how.bodyless || how.ranged) return identity;
  const compressed = how.compression && compressedOnce(hot, request, headers, how.files, how.compression);
  return compressed ? { ...identity, ...compressed } : { ...identity, ...kept(hot, how) };
}

/** The file's kept bytes and, where the engine wants it, their text form; nothing for a file sent from disk. */
function kept(hot: HotFile, how: { files: HotFiles; textBody?: TextBody }): Pick<Representation, "bytes" | "text"> {
  const bytes = keptBytes(hot, how.files);
  if (!bytes || !how.textBody) return { bytes };
  if (hot.text === undefined) {
    hot.text = how.textBody(bytes) ?? null;
    if (hot.text !== null) how.files.charge(textMemory(hot.text));
  }
  return { bytes, text: hot.text ?? undefined };
}

/** The file's bytes, read once and kept when it is small enough; undefined for a file sent from disk. */
function keptBytes(hot: HotFile, files: HotFiles): Uint8Array | undefined {
  if (hot.bytes) return hot.bytes;
  if (!files.keeps(hot.file.size)) return undefined;
  hot.bytes = readBytes(hot.file.path);
  files.charge(hot.bytes.byteLength);
  return hot.bytes;
}

function compressedOnce(
  hot: HotFile, request: Request, headers: Record<string, string>, files: HotFiles, compression: StaticCompression,
): Pick<Representation, "bytes" | "size" | "validators"> | undefined {
  const size = hot.file.size;
  if (size < compression.threshold || size > COMPRESS_ONCE_MAX_BYTES || !isCompressibleType(hot.contentType)) return undefined;
  headers.vary = "Accept-Encoding";
  const coding = negotiateEncoding(request.headers.get("accept-encoding"), compression.codings);
  if (!coding) return undefined;
  let bytes = hot.compressed.get(coding);
  if (!bytes) {
    bytes = compressBytes(keptBytes(hot, files) ?? readBytes(hot.file.path), coding);
    hot.compressed.set(coding, bytes);
    files.charge(bytes.byteLength);
  }
  headers["content-encoding"] = coding;
  // Each coding's bytes are a representation of their own, with a strong ETag of their own.
  const etag = `${hot.validators.etag.slice(0, -1)}-${coding}"`;
  return { bytes, size: bytes.byteLength, validators: { etag, lastModified: hot.validators.lastModified } };
}

function readBytes(path: string): Uint8Array {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
