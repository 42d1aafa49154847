import { lstatSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { logger } from "../log.ts";
import { runtimeDir } from "../paths.ts";
import type { Teardown } from "./teardown.ts";

/** The runtime directory's socket names (src/paths.ts): buses, and control sockets by directory and by port. */
const SOCKET_NAME = /^(bus|port|dir)-[0-9a-f]+\.sock$/;

/**
 * A socket file younger than this may be one a server has bound and not yet
 * listened on (a connection is refused in between), so it is left alone.
 */
const SETTLED_MS = 60_000;

/** Long enough after the start that the sweep never competes with the first requests. */
const SWEEP_DELAY_MS = 5_000;

/** A live listener answers a Unix connect at once; this only bounds a stuck one. */
const CONNECT_WAIT_MS = 1_000;

/**
 * Once a server serves, removes the sockets killed servers left in the
 * runtime directory (removeStaleSockets), apart from its own (`own`).
 */
export function scheduleStaleSocketSweep(own: ReadonlySet<string>, teardown: Teardown): void {
  const timer = setTimeout(async () => {
    try {
      const dir = runtimeDir();
      const removed = await removeStaleSockets(dir, own);
      if (removed.length > 0) logger.info(`removed ${removed.length} socket${removed.length === 1 ? "" : "s"} left in ${dir} by servers that were killed`);
    } catch {
      // Best effort: a file that cannot be removed now is tried again at the next start.
    }
  }, SWEEP_DELAY_MS);
  timer.unref?.();
  teardown.add("stale socket sweep", () => clearTimeout(timer));
}

/**
 * Removes the sockets that servers stopped without a chance to clean up
 * (kill -9, the OOM killer, a host crash) left in the runtime directory: a
 * bus socket per supervisor pid and a control socket per port would
 * otherwise pile up for good. A file is a leftover only when connecting to
 * it is refused, which for a Unix socket means nothing listens on it: a
 * pid in a name proves nothing where several pid namespaces (containers)
 * share the directory. Returns the names removed.
 */
export async function removeStaleSockets(dir: string, keep: ReadonlySet<string>, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of socketNames(dir)) {
    const path = join(dir, name);
    if (keep.has(path) || !settled(path, now) || !(await refusesConnections(path))) continue;
    rmSync(path, { force: true });
    removed.push(name);
  }
  return removed;
}

function socketNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => SOCKET_NAME.test(name));
  } catch {
    return [];
  }
}

function settled(path: string, now: number): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isSocket() && now - stat.mtimeMs > SETTLED_MS;
  } catch {
    return false;
  }
}

/** True only on ECONNREFUSED: a listener that is busy, slow or gone mid-check keeps its file. */
function refusesConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => finish(false), CONNECT_WAIT_MS);
    function finish(refused: boolean): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    }
    socket.once("connect", () => finish(false));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(error.code === "ECONNREFUSED"));
  });
}
