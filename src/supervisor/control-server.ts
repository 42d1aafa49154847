import { rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { claimControlSockets } from "./control-probe.ts";
import { listenPrivate } from "./private-socket.ts";
import { openChannel } from "../bus/ndjson.ts";

export type ControlCommand = "status" | "reload" | "stop";
export interface ControlRequest {
  command: ControlCommand;
}
export type ControlReply = { ok: true; data?: unknown } | { ok: false; error: string };

export type ControlHandler = (command: ControlCommand) => Promise<unknown>;

/**
 * The socket `lsky status|reload|stop` talk to: one request, one reply, per
 * connection. The file is mode 0600 inside a 0700 directory, so only the
 * owner (and root) can connect. The paths are checked again just before
 * listening: a server started meanwhile in the same directory is refused,
 * not silently replaced.
 */
export async function startControlServer(paths: string[], handle: ControlHandler): Promise<Server[]> {
  await claimControlSockets(paths);
  return Promise.all(paths.map((path) => listenOn(path, handle)));
}

function listenOn(path: string, handle: ControlHandler): Promise<Server> {
  const server = createServer((socket) => {
    const channel = openChannel<ControlRequest, ControlReply>(socket, (request) => {
      if (!["status", "reload", "stop"].includes(request?.command)) {
        channel.send({ ok: false, error: `unknown command "${String(request?.command)}"` });
        return void channel.close();
      }
      handle(request.command).then(
        (data) => channel.send({ ok: true, data }),
        (error: Error) => channel.send({ ok: false, error: error.message }),
      ).finally(() => channel.close());
    });
  });
  return listenPrivate(server, path);
}

export function closeControlServers(servers: Server[], paths: string[]): void {
  for (const server of servers) server.close();
  for (const path of paths) rmSync(path, { force: true });
}
