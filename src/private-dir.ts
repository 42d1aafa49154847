import { createHash } from "node:crypto";
import { type Stats, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LskyError } from "./errors.ts";

/**
 * Why `dir` cannot hold lsky's private files (sockets, code it runs), or
 * undefined when it can: it must be a real directory (a symbolic link could be
 * pointed elsewhere by whoever owns it), owned by this user, with no group or
 * other permission bits. Another local user who created the directory first,
 * say /tmp/lsky-0, could otherwise replace a socket or plant code lsky runs.
 */
export function privateDirProblem(info: Pick<Stats, "mode" | "uid"> & { isSymbolicLink(): boolean; isDirectory(): boolean }, uid: number): string | undefined {
  if (info.isSymbolicLink()) return "it is a symbolic link";
  if (!info.isDirectory()) return "it is not a directory";
  if (info.uid !== uid) return `it belongs to uid ${info.uid}, not to uid ${uid} that lsky runs as`;
  const mode = info.mode & 0o777;
  if (mode & 0o077) return `its mode is ${mode.toString(8).padStart(4, "0")}, open to other users (lsky needs 0700)`;
  return undefined;
}

function currentUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

/**
 * Creates `dir` (mode 0700) unless it exists, then checks it with lstat and
 * refuses it (UNSAFE_DIRECTORY, exit 1) when someone else could write in it.
 * `setting` names the variable that moves it, if any, for the hint. Returns `dir`.
 *
 * @example
 * const dir = ensurePrivateDir(join(base, `lsky-${uid}`), "LSKY_RUNTIME_DIR");
 */
export function ensurePrivateDir(dir: string, setting?: string): string {
  let info: Stats;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    info = lstatSync(dir);
  } catch (error) {
    // Whatever is in the way (a file, a dangling link) is judged by lstat below.
    try {
      info = lstatSync(dir);
    } catch {
      throw error;
    }
  }
  const uid = currentUid();
  if (uid === undefined) return dir; // Windows: no owners or modes to check.
  const problem = privateDirProblem(info, uid);
  if (problem) {
    // Only a mode can be fixed in place; a link or another user's directory must go.
    const fix = problem.startsWith("its mode") ? `Run chmod 700 "${dir}"` : `Remove "${dir}" (lsky creates it again, mode 0700)`;
    throw new LskyError("UNSAFE_DIRECTORY", `Refusing to use "${dir}": ${problem}`, {
      hint: setting ? `${fix}, or set ${setting} to a directory only you can write` : fix,
    });
  }
  return dir;
}

/** The first 16 hex digits of the text's SHA-256: cached files are named by their content. */
export function contentHash(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * Writes `text` as `name` in a directory already checked by ensurePrivateDir,
 * unless a file with exactly that content is there. An existing file is
 * trusted only if it is a regular file of this user holding the same bytes:
 * anything else is replaced (through a temporary name and a rename, so no
 * reader ever sees half a file). Returns the file's path.
 */
export function writeCachedFile(dir: string, name: string, text: string | Uint8Array): string {
  const file = join(dir, name);
  if (holdsExactly(file, text)) return file;
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
  renameSync(temporary, file);
  return file;
}

function holdsExactly(file: string, text: string | Uint8Array): boolean {
  let info: Stats;
  try {
    info = lstatSync(file);
  } catch {
    return false;
  }
  const uid = currentUid();
  // A file others may write could change between this check and its import.
  if (!info.isFile() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0) return false;
  const expected = typeof text === "string" ? Buffer.from(text) : text;
  return info.size === expected.byteLength && Buffer.compare(readFileSync(file), expected) === 0;
}
