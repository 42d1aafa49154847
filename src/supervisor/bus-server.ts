import { createServer, type Server } from "node:net";
import { listenPrivate } from "./private-socket.ts";
import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import { openChannel } from "../bus/ndjson.ts";
import { OutgoingLimit } from "../bus/outgoing-limit.ts";
import type { Logger } from "../log.ts";
import type { WorkerHandle } from "./worker-handle.ts";

export interface BusHooks {
  /** The worker that said hello with this pid, if it is one of ours. */
  findWorker(pid: number): WorkerHandle | undefined;
  onMessage(worker: WorkerHandle, message: WorkerMessage): void;
  /** Most bytes of bus messages queued for one worker (--bus-queue-limit). */
  queueLimit: number;
  log: Logger;
}

export interface BusServer {
  readonly server: Server;
  /** Bus messages dropped because a worker's queue was full, since the start (for /metrics). */
  droppedMessages(): number;
}

// Messages of the app bus that a full queue may drop. Control messages are
// never dropped, nor replies: each answers a request the worker itself sent,
// so a worker that stopped reading stopped adding to them, and dropping one
// would turn a quick error (BUS_QUEUE_FULL from another worker) into a timeout.
const DROPPABLE = new Set<SupervisorMessage["type"]>(["deliver", "request"]);

/**
 * The supervisor's socket for its workers. A connection is anonymous until it
 * says hello with the pid of a worker the supervisor started; anything else
 * is closed. What is queued for each worker is bounded (src/bus/outgoing-limit.ts).
 */
export async function startBusServer(path: string, hooks: BusHooks): Promise<BusServer> {
  const live = new Set<OutgoingLimit>();
  let retiredDrops = 0;
  const server = createServer((socket) => {
    let worker: WorkerHandle | undefined;
    const limit = new OutgoingLimit(hooks.queueLimit, {
      started: (queued) => hooks.log.warn(
        `worker ${worker?.slot} (pid ${worker?.pid}) is not reading its bus messages: ${queued} bytes queued, ` +
        `dropping further messages to it until it catches up (--bus-queue-limit ${hooks.queueLimit})`),
      ended: (dropped) => hooks.log.warn(`worker ${worker?.slot} (pid ${worker?.pid}) caught up: ${dropped} bus message${dropped === 1 ? "" : "s"} to it dropped`),
    });
    live.add(limit);
    const channel = openChannel<WorkerMessage, SupervisorMessage>(socket, (message) => {
      if (worker) return hooks.onMessage(worker, message);
      if (message.type !== "hello") return void socket.destroy();
      worker = hooks.findWorker(message.pid);
      if (!worker) return void socket.destroy();
      worker.channel = channel;
    }, () => {
      live.delete(limit);
      retiredDrops += limit.dropped();
      worker?.markChannelClosed();
    }, { limit, droppable: (message) => DROPPABLE.has(message.type) });
  });
  // An accept that fails for lack of descriptors must not kill the supervisor (control-server.ts).
  server.on("error", () => {});
  await listenPrivate(server, path);
  return {
    server,
    droppedMessages: () => [...live].reduce((sum, limit) => sum + limit.dropped(), retiredDrops),
  };
}
