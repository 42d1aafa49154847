import { connect } from "node:net";
import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import { type MessageChannel, openChannel } from "../bus/ndjson.ts";

export type SupervisorHandlers = {
  [K in SupervisorMessage["type"]]?: (message: Extract<SupervisorMessage, { type: K }>) => void;
};

/**
 * Connects a worker to its supervisor's bus socket and says hello. The
 * connection doubles as a lifeline: when it closes, the supervisor is gone.
 */
export function connectToSupervisor(
  path: string,
  slot: number,
  handlers: SupervisorHandlers,
  onLost: () => void,
): Promise<MessageChannel<WorkerMessage>> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      const channel = openChannel<SupervisorMessage, WorkerMessage>(
        socket,
        (message) => (handlers[message.type] as ((m: SupervisorMessage) => void) | undefined)?.(message),
        onLost,
      );
      channel.send({ type: "hello", slot, pid: process.pid });
      resolve(channel);
    });
  });
}

/** Sends a last message and resolves once it has been handed to the kernel. */
export function sendFinal(channel: MessageChannel<WorkerMessage>, message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (channel.socket.destroyed) return resolve();
    channel.socket.end(`${JSON.stringify(message)}\n`, () => resolve());
    setTimeout(resolve, 1000).unref?.();
  });
}
