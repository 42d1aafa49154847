import { realpathSync } from "node:fs";
import type { FetchHandler, FileResponseInit } from "../../runtime/types.ts";
import type { Stage } from "../stage.ts";
import type { Coding } from "../accept-encoding.ts";
import { monotonicNow } from "../../clock.ts";
import { isCompressibleType } from "../compressible.ts";
import { type CacheRules, cacheControlFor, compileCacheRules, type CompiledCacheRule } from "../../config/cache-rules.ts";
import { ifRangeAllows, isNotModified } from "./conditional.ts";
import { type HotFile, HotFiles } from "./hot-files.ts";
import { chooseRepresentation, type StaticCompression, type TextBody } from "./representation.ts";
import { findFile, findSiblings, type FoundFile } from "./find-file.ts";
import { contentTypeFor } from "./mime.ts";
import { MissMemo } from "./miss-memo.ts";
import { parseRange } from "./range.ts";
import { parseStaticPath } from "./safe-path.ts";
import { pathStartOf } from "../path-start.ts";

export type FileResponder = (path: string, init: FileResponseInit) => Response | Promise<Response>;

export interface StaticOptions {
  /** The directory to serve. */
  root: string;
  cacheRules: CacheRules;
  /** The engine's file response (zero-copy on Bun) or the portable streaming one. */
  fileResponse: FileResponder;
  /** Bytes of small files (and compressed forms) kept in memory (--static-memory); 0 keeps none. */
  memoryBytes: number;
  /** --compress: each compressible file is compressed once and kept. */
  compression?: StaticCompression;
  /** The engine's text form of kept bytes (EngineAdapter.textBody). */
  textBody?: TextBody;
}

const NO_SIBLINGS: ReadonlyMap<Coding, FoundFile> = new Map();

// How long a lookup on disk is trusted: a path that named no file, or where
// a path led. A file added, changed or removed is served as such after at
// most this. How many missed paths, and how many files, are remembered at once.
const LOOKUP_MEMORY_MS = 1000;
const MISS_MEMORY_ENTRIES = 4096;
const HOT_ENTRIES = 4096;
// Larger files are sent from disk each time (zero-copy on Bun).
const KEPT_FILE_MAX_BYTES = 64 * 1024;

interface StaticContext {
  root: string;
  rules: CompiledCacheRule[];
  respond: FileResponder;
  files: HotFiles;
  compression?: StaticCompression;
  textBody?: TextBody;
}

/**
 * Serves files from a directory before the app: GET and HEAD of a path that
 * names a file under it get the file; anything else goes on to the app.
 * Paths that try to leave the directory get 404 and never reach the app.
 */
export function createStaticStage(options: StaticOptions): Stage {
  const context: StaticContext = {
    root: realpathSync(options.root),
    rules: compileCacheRules(options.cacheRules),
    respond: options.fileResponse,
    files: new HotFiles({
      freshMs: LOOKUP_MEMORY_MS, budgetBytes: options.memoryBytes, maxFileBytes: KEPT_FILE_MAX_BYTES, maxEntries: HOT_ENTRIES, now: monotonicNow,
    }),
    compression: options.compression,
    textBody: options.textBody,
  };
  const misses = new MissMemo(LOOKUP_MEMORY_MS, MISS_MEMORY_ENTRIES);
  return (next: FetchHandler): FetchHandler => (request, lskyContext) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next(request, lskyContext);
    const rawPath = rawPathOf(request.url);
    // Most requests are the app's: a path remembered as naming no file goes
    // on before it is decoded and checked again (it was safe the first time).
    if (misses.has(rawPath)) return next(request, lskyContext);
    const path = parseStaticPath(rawPath);
    if (path === "forbidden") return notFound();
    if (path === "skip") return next(request, lskyContext);
    const key = path.segments.join("/");
    const hot = context.files.fresh(key);
    if (hot) return serveFileOr404(context, request, hot);
    const found = findFile(context.root, path.segments);
    switch (found.kind) {
      case "none":
        misses.add(rawPath);
        return next(request, lskyContext);
      case "forbidden":
        return notFound();
      case "redirect":
        return redirectToDirectory(request.url);
      case "file":
        return serveFileOr404(context, request, lookedUp(context, key, found.file));
    }
  };
}

/** Records where a path led, with what every response for it says. */
function lookedUp(context: StaticContext, key: string, file: FoundFile): HotFile {
  const contentType = contentTypeFor(file.relativePath);
  // Only text-like files have precompressed siblings worth three more stats.
  const siblings = isCompressibleType(contentType) ? findSiblings(context.root, file) : NO_SIBLINGS;
  return context.files.remember(key, { file, siblings, contentType, cacheControl: cacheControlFor(context.rules, file.relativePath) });
}

/** A file deleted or made unreadable between the lookup and the read is a 404, not a 500. */
function serveFileOr404(context: StaticContext, request: Request, hot: HotFile): Response | Promise<Response> {
  try {
    const response = serveFile(context, request, hot);
    return response instanceof Promise ? response.catch(notFound) : response;
  } catch {
    return notFound();
  }
}

function serveFile(context: StaticContext, request: Request, hot: HotFile): Response | Promise<Response> {
  const headers: Record<string, string> = { "content-type": hot.contentType, "accept-ranges": "bytes" };
  if (hot.cacheControl) headers["cache-control"] = hot.cacheControl;
  const rangeHeader = request.headers.get("range");
  const bodyless = request.method === "HEAD";
  const chosen = chooseRepresentation(hot, request, headers, {
    files: context.files, compression: context.compression, textBody: context.textBody, ranged: rangeHeader !== null, bodyless,
  });
  headers.etag = chosen.validators.etag;
  headers["last-modified"] = chosen.validators.lastModified;
  if (isNotModified(request.headers, chosen.validators, chosen.mtimeMs)) return notModified(headers);
  const file = hot.file;
  const range = rangeHeader && ifRangeAllows(request.headers, hot.validators) ? parseRange(rangeHeader, file.size) : undefined;
  if (range === "unsatisfiable") {
    headers["content-range"] = `bytes */${file.size}`;
    delete headers["content-type"];
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers["content-range"] = `bytes ${range.start}-${range.end}/${file.size}`;
    headers["content-length"] = String(range.end - range.start + 1);
    return context.respond(file.path, { status: 206, headers: new Headers(headers), size: file.size, range, bodyless });
  }
  if (chosen.bytes) {
    headers["content-length"] = String(chosen.bytes.byteLength);
    return new Response(chosen.text ?? chosen.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
  }
  headers["content-length"] = String(chosen.size);
  return context.respond(chosen.path, { status: 200, headers: new Headers(headers), size: chosen.size, bodyless });
}

function notModified(headers: Record<string, string>): Response {
  for (const name of ["content-type", "content-encoding", "accept-ranges"]) delete headers[name];
  return new Response(null, { status: 304, headers });
}

function notFound(): Response {
  return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function redirectToDirectory(url: string): Response {
  const target = new URL(url);
  return new Response(null, { status: 301, headers: { location: `${target.pathname}/${target.search}` } });
}

/** The path of a request URL as sent, still percent-encoded, without the query. */
function rawPathOf(url: string): string {
  const start = pathStartOf(url);
  if (start === -1) return "/";
  // A query ends the path, and so does a fragment if an engine left one in.
  const query = url.indexOf("?", start);
  const fragment = url.indexOf("#", start);
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}
