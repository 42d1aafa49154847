import { createHash } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where a running server's sockets live: a directory only its owner can enter
 * (0700), under $XDG_RUNTIME_DIR or the temp directory. Unix socket paths are
 * limited to about 100 bytes, so names are short hashes.
 */
export function runtimeDir(): string {
  const base = process.env.LSKY_RUNTIME_DIR ?? process.env.XDG_RUNTIME_DIR ?? tmpdir();
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  const dir = join(base, `lsky-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** The control socket a server started in `cwd` answers on. */
export function controlPathForDir(cwd: string): string {
  return join(runtimeDir(), `dir-${shortHash(cwd)}.sock`);
}

/** The control socket of the server listening on `port`. */
export function controlPathForPort(port: number): string {
  return join(runtimeDir(), `port-${port}.sock`);
}

/** The supervisor's private socket for its workers. */
export function busPath(pid: number): string {
  return join(runtimeDir(), `bus-${pid}.sock`);
}

export function ownerOnly(path: string): boolean {
  return (statSync(path).mode & 0o077) === 0;
}
