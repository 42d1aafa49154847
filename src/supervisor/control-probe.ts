import { lstatSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { openChannel } from "../bus/ndjson.ts";
import { LskyError } from "../errors.ts";
import { describeControlPath } from "../paths.ts";
import type { ControlReply, ControlRequest } from "./control-protocol.ts";

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
 * Makes a control socket path ready to listen on: the leftover of a server
 * that died (nothing accepts: ECONNREFUSED) is removed and undefined
 * returned; a socket a live server answers on is left alone and that server
 * returned, for the caller to refuse (replacing it would leave `lsky stop`
 * stopping the wrong server).
 */
export async function claimControlSocket(path: string): Promise<LiveServer | undefined> {
  if (!exists(path)) return undefined;
  const live = await probeControlSocket(path);
  if (!live) rmSync(path, { force: true });
  return live;
}

/** Like claimControlSocket, but a live server is an error naming it (SERVER_RUNNING, exit 1). */
export async function claimControlSocketOrFail(path: string): Promise<void> {
  const live = await claimControlSocket(path);
  if (live) throw serverRunning(live, describeControlPath(path));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The one line that names a live server, e.g. "pid 4242, port 8000". */
export function describeLiveServer(live: LiveServer): string {
  const pid = live.pid === undefined ? "pid unknown" : `pid ${live.pid}`;
  const listen = live.host?.startsWith("unix:") ? live.host : live.port === undefined ? "port unknown" : `port ${live.port}`;
  return `${pid}, ${listen}`;
}

function serverRunning(live: LiveServer, where: string): LskyError {
  return new LskyError("SERVER_RUNNING", `Cannot start: another lsky server (${describeLiveServer(live)}) is running ${where}`, {
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
