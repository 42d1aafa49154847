import { createServer, type Server } from "node:net";
import { listenPrivate } from "./private-socket.ts";
import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import { openChannel } from "../bus/ndjson.ts";
import type { WorkerHandle } from "./worker-handle.ts";

export interface BusHooks {
  /** The worker that said hello with this pid, if it is one of ours. */
  findWorker(pid: number): WorkerHandle | undefined;
  onMessage(worker: WorkerHandle, message: WorkerMessage): void;
}

/**
 * The supervisor's socket for its workers. A connection is anonymous until it
 * says hello with the pid of a worker the supervisor started; anything else
 * is closed.
 */
export function startBusServer(path: string, hooks: BusHooks): Promise<Server> {
  const server = createServer((socket) => {
    let worker: WorkerHandle | undefined;
    const channel = openChannel<WorkerMessage, SupervisorMessage>(socket, (message) => {
      if (worker) return hooks.onMessage(worker, message);
      if (message.type !== "hello") return void socket.destroy();
      worker = hooks.findWorker(message.pid);
      if (!worker) return void socket.destroy();
      worker.channel = channel;
    }, () => worker?.markChannelClosed());
  });
  // An accept that fails for lack of descriptors must not kill the supervisor (control-server.ts).
  server.on("error", () => {});
  return listenPrivate(server, path);
}
