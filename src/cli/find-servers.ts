import { readdirSync } from "node:fs";
import { join } from "node:path";
import { LskyError } from "../errors.ts";
import { askControlSocket, type ControlCommand } from "../supervisor/control-protocol.ts";
import { runtimeDir } from "../paths.ts";
import type { StatusReport } from "../supervisor/status.ts";

/** A running server found through its control socket. */
export interface FoundServer {
  path: string;
  report: StatusReport;
}

/** How long a listed socket may take to answer "status" before it is skipped as stale. */
const LIST_TIMEOUT_MS = 3_000;

/**
 * Every lsky server this user runs: each answers on the control sockets in
 * the runtime directory (one per start directory, one per port), so each
 * socket is asked for its status and the answers are merged by supervisor pid.
 * A socket left by a server that was killed does not answer and is skipped.
 */
export async function findServers(dir = runtimeDir()): Promise<FoundServer[]> {
  const paths = readdirSync(dir).filter((name) => /^(dir|port)-.+\.sock$/.test(name)).sort().map((name) => join(dir, name));
  const answers = await Promise.all(paths.map(async (path) => {
    try {
      return { path, report: await askServer(path, "status", LIST_TIMEOUT_MS) as StatusReport };
    } catch {
      return undefined;
    }
  }));
  const byPid = new Map<number, FoundServer>();
  for (const found of answers) if (found && !byPid.has(found.report.pid)) byPid.set(found.report.pid, found);
  return [...byPid.values()].sort((a, b) => a.report.pid - b.report.pid);
}

/** The control socket of the server whose supervisor is `pid`. */
export async function findServerByPid(pid: number): Promise<FoundServer> {
  const found = (await findServers()).find((server) => server.report.pid === pid);
  if (!found) throw new LskyError("NO_SERVER", `No lsky server of yours has supervisor pid ${pid}`);
  return found;
}

/** Sends one command to the control socket at `path` (see askControlSocket); any failure is an LskyError. */
export async function askServer(path: string, command: ControlCommand, timeoutMs?: number): Promise<unknown> {
  try {
    return await askControlSocket(path, command, timeoutMs);
  } catch (error) {
    if (error instanceof LskyError) throw error;
    throw new LskyError("NO_SERVER", `Cannot reach ${path}: ${(error as Error).message}`);
  }
}
