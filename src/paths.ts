import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ensurePrivateDir } from "./private-dir.ts";

/**
 * Where a running server's sockets live: `lsky-<uid>` under $LSKY_RUNTIME_DIR,
 * else $XDG_RUNTIME_DIR (a per-user directory the login manager or systemd
 * made), else the temp directory. It must be a real directory of this user
 * with mode 0700, or lsky refuses to start (src/private-dir.ts): under a
 * shared /tmp, another user could have created it first. Unix socket paths
 * are limited to about 100 bytes, so names are short hashes.
 */
export function runtimeDir(): string {
  const base = process.env.LSKY_RUNTIME_DIR || process.env.XDG_RUNTIME_DIR || tmpdir();
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  return ensurePrivateDir(join(base, `lsky-${uid}`), "LSKY_RUNTIME_DIR");
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

/** Which server a control socket path belongs to, for messages: "in this directory" or "on port 8000". */
export function describeControlPath(path: string): string {
  const port = /^port-(\d+)\.sock$/.exec(basename(path));
  return port ? `on port ${port[1]}` : "in this directory";
}
