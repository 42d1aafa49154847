import { rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { logger } from "../log.ts";
import { claimControlSocket, claimControlSocketOrFail, describeLiveServer } from "./control-probe.ts";
import { controlPathForDir, controlPathForPort, describeControlPath } from "../paths.ts";
import { listenPrivate } from "./private-socket.ts";
import { openChannel } from "../bus/ndjson.ts";
import type { Teardown } from "./teardown.ts";

import type { ControlCommand, ControlReply, ControlRequest } from "./control-protocol.ts";

export type { ControlCommand } from "./control-protocol.ts";

export type ControlHandler = (command: ControlCommand) => Promise<unknown>;

/**
 * The socket `lsky status|reload|stop` talk to: one request, one reply, per
 * connection. The file is mode 0600 inside a 0700 directory, so only the
 * owner (and root) can connect. The paths are checked again just before
 * listening: a server started meanwhile in the same directory is refused,
 * not silently replaced. The port's socket may belong to a live server on the
 * same port number elsewhere (another network namespace or address, sharing
 * this runtime directory): it is left to that server, with a warning.
 */
export async function startControlServer(paths: { dir: string; port?: string }, handle: ControlHandler): Promise<Server[]> {
  await claimControlSocketOrFail(paths.dir);
  const usable = [paths.dir];
  if (paths.port) {
    const live = await claimControlSocket(paths.port);
    if (!live) usable.push(paths.port);
    else logger.warn(`another lsky server (${describeLiveServer(live)}) answers the control socket for "lsky status --port" ${describeControlPath(paths.port)}; reach this one with "lsky status" in this directory`);
  }
  return Promise.all(usable.map((path) => listenOn(path, handle)));
}

/**
 * Answers the control sockets of the server started in this directory, and
 * of its `port` (0: none), until the teardown; returns their paths. When
 * another server took the directory while the workers booted, the whole
 * start-up is undone and the error thrown.
 */
export async function installControlServer(port: number, handle: ControlHandler, teardown: Teardown): Promise<string[]> {
  const paths = { dir: controlPathForDir(process.cwd()), port: port ? controlPathForPort(port) : undefined };
  let control: Server[];
  try {
    control = await startControlServer(paths, handle);
  } catch (error) {
    await teardown.run();
    throw error;
  }
  teardown.add("control socket", () => closeControlServers(control));
  return paths.port ? [paths.dir, paths.port] : [paths.dir];
}

// Each server's socket path, so that stopping removes only the files it made.
const socketPaths = new WeakMap<Server, string>();

function listenOn(path: string, handle: ControlHandler): Promise<Server> {
  const server = createServer((socket) => {
    const channel = openChannel<ControlRequest, ControlReply>(socket, (request) => {
      if (!["status", "reload", "stop"].includes(request?.command)) {
        channel.send({ ok: false, error: `unknown command "${String(request?.command)}"` });
        return void channel.close();
      }
      handle(request.command).then(
        (data) => channel.send({ ok: true, data }),
        (error: Error) => channel.send({ ok: false, error: error.message, hint: (error as { hint?: string }).hint }),
      ).finally(() => channel.close());
    });
  });
  // Out of descriptors, accept fails and Node emits it as an error: without a
  // listener that is thrown and the supervisor dies. The client sees a closed
  // connection; the server goes on listening.
  server.on("error", () => {});
  socketPaths.set(server, path);
  return listenPrivate(server, path);
}

export function closeControlServers(servers: Server[]): void {
  for (const server of servers) {
    server.close();
    const path = socketPaths.get(server);
    if (path) rmSync(path, { force: true });
  }
}
