import { realpathSync } from "node:fs";
import type { FetchHandler, FileResponseInit } from "../../runtime/types.ts";
import type { Stage } from "../stage.ts";
import { negotiateEncoding, type Coding } from "../accept-encoding.ts";
import { isCompressibleType } from "../compressible.ts";
import { type CacheRules, cacheControlFor, compileCacheRules, type CompiledCacheRule } from "../../config/cache-rules.ts";
import { ifRangeAllows, isNotModified, validatorsFor } from "./conditional.ts";
import { findFile, findSiblings, type FoundFile } from "./find-file.ts";
import { contentTypeFor } from "./mime.ts";
import { MissMemo } from "./miss-memo.ts";
import { parseRange } from "./range.ts";
import { parseStaticPath } from "./safe-path.ts";

export type FileResponder = (path: string, init: FileResponseInit) => Response | Promise<Response>;

export interface StaticOptions {
  /** The directory to serve. */
  root: string;
  cacheRules: CacheRules;
  /** The engine's file response (zero-copy on Bun) or the portable streaming one. */
  fileResponse: FileResponder;
}

const NO_SIBLINGS: ReadonlyMap<Coding, FoundFile> = new Map();

// How long a path that named no file is taken to still name none (a file
// added to the directory is served after at most this), and how many such
// paths are remembered at once.
const MISS_MEMORY_MS = 1000;
const MISS_MEMORY_ENTRIES = 4096;

interface StaticContext {
  root: string;
  rules: CompiledCacheRule[];
  respond: FileResponder;
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
  };
  const misses = new MissMemo(MISS_MEMORY_MS, MISS_MEMORY_ENTRIES);
  return (next: FetchHandler): FetchHandler => (request, lskyContext) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next(request, lskyContext);
    const path = parseStaticPath(rawPathOf(request.url));
    if (path === "forbidden") return notFound();
    if (path === "skip") return next(request, lskyContext);
    const key = path.segments.join("/");
    if (misses.has(key)) return next(request, lskyContext);
    const found = findFile(context.root, path.segments);
    switch (found.kind) {
      case "none":
        misses.add(key);
        return next(request, lskyContext);
      case "forbidden":
        return notFound();
      case "redirect":
        return redirectToDirectory(request.url);
      case "file":
        return serveFileOr404(context, request, found.file);
    }
  };
}

/** A file deleted or made unreadable between the lookup and the read is a 404, not a 500. */
function serveFileOr404(context: StaticContext, request: Request, file: FoundFile): Response | Promise<Response> {
  try {
    const response = serveFile(context, request, file);
    return response instanceof Promise ? response.catch(notFound) : response;
  } catch {
    return notFound();
  }
}

function serveFile(context: StaticContext, request: Request, file: FoundFile): Response | Promise<Response> {
  const contentType = contentTypeFor(file.relativePath);
  const headers = new Headers({ "content-type": contentType, "accept-ranges": "bytes" });
  const cacheControl = cacheControlFor(context.rules, file.relativePath);
  if (cacheControl) headers.set("cache-control", cacheControl);
  const rangeHeader = request.headers.get("range");
  let variant = file;
  // Only text-like files have precompressed siblings worth three more stats.
  const siblings = isCompressibleType(contentType) ? findSiblings(context.root, file) : NO_SIBLINGS;
  if (siblings.size > 0) {
    headers.set("vary", "Accept-Encoding");
    // A range is a range of the identity file: never of a compressed variant.
    const coding = rangeHeader ? undefined : negotiateEncoding(request.headers.get("accept-encoding"), [...siblings.keys()] as Coding[]);
    if (coding) {
      variant = siblings.get(coding)!;
      headers.set("content-encoding", coding);
    }
  }
  const validators = validatorsFor(variant.size, variant.mtimeMs);
  headers.set("etag", validators.etag);
  headers.set("last-modified", validators.lastModified);
  if (isNotModified(request.headers, validators, variant.mtimeMs)) return notModified(headers);
  const bodyless = request.method === "HEAD";
  const range = rangeHeader && ifRangeAllows(request.headers, validators) ? parseRange(rangeHeader, file.size) : undefined;
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${file.size}`);
    headers.delete("content-type");
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${file.size}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return context.respond(file.path, { status: 206, headers, size: file.size, range, bodyless });
  }
  headers.set("content-length", String(variant.size));
  return context.respond(variant.path, { status: 200, headers, size: variant.size, bodyless });
}

function notModified(headers: Headers): Response {
  for (const name of ["content-type", "content-encoding", "accept-ranges"]) headers.delete(name);
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
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}
