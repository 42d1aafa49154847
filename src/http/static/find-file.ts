import { realpathSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { Coding } from "../accept-encoding.ts";
import { isInside } from "./safe-path.ts";

export const INDEX_FILE = "index.html";

/** A regular file under the static directory, found for a request. */
export interface FoundFile {
  /** The file's real path (symlinks resolved), inside the directory. */
  path: string;
  /** The path under the directory, "/"-separated, for cache rules and the content type. */
  relativePath: string;
  size: number;
  mtimeMs: number;
}

export type FindResult =
  | { kind: "file"; file: FoundFile }
  | { kind: "redirect" } // a directory with an index, asked for without its trailing slash
  | { kind: "forbidden" } // resolves outside the directory (a symlink pointing out)
  | { kind: "none" };

/** The precompressed siblings lsky looks for, by coding, in preference order. */
export const SIBLING_SUFFIXES: ReadonlyArray<readonly [Coding, string]> = [["br", ".br"], ["zstd", ".zst"], ["gzip", ".gz"]];

/**
 * Finds the file for decoded path segments under `root` (a realpath). A
 * trailing empty segment asks for the directory's index file. The file's real
 * path must lie inside root, so a symlink pointing elsewhere is refused.
 */
export function findFile(root: string, segments: string[]): FindResult {
  const wantsIndex = segments.length === 0 || segments[segments.length - 1] === "";
  const relativeParts = wantsIndex ? [...segments.slice(0, -1), INDEX_FILE] : segments;
  const candidate = join(root, ...relativeParts);
  const info = statOrUndefined(candidate);
  if (!info) return { kind: "none" };
  if (info.isDirectory()) {
    if (wantsIndex) return { kind: "none" };
    const index = statOrUndefined(join(candidate, INDEX_FILE));
    return index?.isFile() ? { kind: "redirect" } : { kind: "none" };
  }
  if (!info.isFile()) return { kind: "none" };
  const real = realpathOrUndefined(candidate);
  if (!real) return { kind: "none" };
  if (!isInside(root, real)) return { kind: "forbidden" };
  return { kind: "file", file: { path: real, relativePath: relativeParts.join("/"), size: info.size, mtimeMs: info.mtimeMs } };
}

/** The precompressed variants that exist beside a file (`app.js.br`, `app.js.gz`), inside root. */
export function findSiblings(root: string, file: FoundFile): Map<Coding, FoundFile> {
  const variants = SIBLING_SUFFIXES.map(([coding, suffix]) => {
    const path = file.path + suffix;
    const info = statOrUndefined(path);
    if (!info?.isFile()) return undefined;
    const real = realpathOrUndefined(path);
    if (!real || !isInside(root, real)) return undefined;
    return [coding, { path: real, relativePath: file.relativePath + suffix, size: info.size, mtimeMs: info.mtimeMs }] as const;
  });
  // In preference order, whatever order the lookups finished in.
  return new Map(variants.filter((v) => v !== undefined));
}

// Blocking calls, as nginx makes them: a stat of a cached directory entry takes
// microseconds, while a trip through libuv's thread pool cost several times
// more and halved static throughput on Node. (A folder on a slow network
// filesystem would stall the worker; serve such a folder from nginx.)
function statOrUndefined(path: string): Stats | undefined {
  try {
    // Most lookups miss (the request is for the app): no exception for those.
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    // Missing, not a directory on the way, too long, unreadable: not a file to serve.
    return undefined;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}
