import { lstatSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { openChannel } from "../bus/ndjson.ts";
import { LskyError } from "../errors.ts";
import { describeControlPath } from "./paths.ts";
import type { ControlReply, ControlRequest } from "./control-server.ts";

/** What a live server said about itself, as far as it answered. */
export interface LiveServer {
  pid?: number;
  port?: number;
  host?: string;
}

// A server that accepted the connection is alive; this only bounds the wait
// for its pid and port, which a busy supervisor may be slow to report.
const STATUS_WAIT_MS = 3000;

/**
 * Makes control socket paths ready to listen on. A socket a live server
 * answers on is an error naming that server (replacing it would leave
 * `lsky stop` stopping the wrong one); a leftover of a server that died
 * (nothing accepts: ECONNREFUSED) is removed.
 */
export async function claimControlSockets(paths: string[]): Promise<void> {
  for (const path of paths) {
    if (!exists(path)) continue;
    const live = await probeControlSocket(path);
    if (live) throw serverRunning(live, describeControlPath(path));
    rmSync(path, { force: true });
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function serverRunning(live: LiveServer, where: string): LskyError {
  const pid = live.pid === undefined ? "pid unknown" : `pid ${live.pid}`;
  const listen = live.host?.startsWith("unix:") ? live.host : live.port === undefined ? "port unknown" : `port ${live.port}`;
  return new LskyError("SERVER_RUNNING", `Cannot start: another lsky server (${pid}, ${listen}) is running ${where}`, {
    hint: 'Stop it first ("lsky stop"), or start this one from another directory',
  });
}

/**
 * Connects to a control socket: undefined when nothing answers there (a
 * stale file), else what the server reports about itself via "status".
 */
export function probeControlSocket(path: string): Promise<LiveServer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let connected = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({});
    }, STATUS_WAIT_MS);
    const settle = (value: LiveServer | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    // Refused or gone: nothing listens, the file is stale. Any other failure
    // (EAGAIN: a full backlog) means something is there.
    socket.once("error", (error: NodeJS.ErrnoException) => {
      settle(!connected && (error.code === "ECONNREFUSED" || error.code === "ENOENT") ? undefined : {});
    });
    socket.once("connect", () => {
      connected = true;
      const channel = openChannel<ControlReply, ControlRequest>(socket, (reply) => {
        const data = (reply.ok ? reply.data : undefined) as LiveServer | undefined;
        settle({ pid: data?.pid, port: data?.port, host: data?.host });
      }, () => settle({}));
      channel.send({ command: "status" });
    });
  });
}
