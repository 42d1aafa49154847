import { realpath, stat } from "node:fs/promises";
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
export async function findFile(root: string, segments: string[]): Promise<FindResult> {
  const wantsIndex = segments.length === 0 || segments[segments.length - 1] === "";
  const relativeParts = wantsIndex ? [...segments.slice(0, -1), INDEX_FILE] : segments;
  const candidate = join(root, ...relativeParts);
  const info = await statOrUndefined(candidate);
  if (!info) return { kind: "none" };
  if (info.isDirectory()) {
    if (wantsIndex) return { kind: "none" };
    const index = await statOrUndefined(join(candidate, INDEX_FILE));
    return index?.isFile() ? { kind: "redirect" } : { kind: "none" };
  }
  if (!info.isFile()) return { kind: "none" };
  const real = await realpathOrUndefined(candidate);
  if (!real) return { kind: "none" };
  if (!isInside(root, real)) return { kind: "forbidden" };
  return { kind: "file", file: { path: real, relativePath: relativeParts.join("/"), size: info.size, mtimeMs: info.mtimeMs } };
}

/** The precompressed variants that exist beside a file (`app.js.br`, `app.js.gz`), inside root. */
export async function findSiblings(root: string, file: FoundFile): Promise<Map<Coding, FoundFile>> {
  const variants = await Promise.all(SIBLING_SUFFIXES.map(async ([coding, suffix]) => {
    const path = file.path + suffix;
    const info = await statOrUndefined(path);
    if (!info?.isFile()) return undefined;
    const real = await realpathOrUndefined(path);
    if (!real || !isInside(root, real)) return undefined;
    return [coding, { path: real, relativePath: file.relativePath + suffix, size: info.size, mtimeMs: info.mtimeMs }] as const;
  }));
  // In preference order, whatever order the lookups finished in.
  return new Map(variants.filter((v) => v !== undefined));
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    // Missing, not a directory on the way, too long, unreadable: not a file to serve.
    return undefined;
  }
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}
