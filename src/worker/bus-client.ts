import type { SupervisorMessage, WorkerMessage } from "../bus/protocol.ts";
import { type MessageChannel, openChannel } from "../bus/ndjson.ts";
import { connectUnix } from "../runtime/unix-connect.ts";

export type SupervisorHandlers = {
  [K in SupervisorMessage["type"]]?: (message: Extract<SupervisorMessage, { type: K }>) => void;
};

// A last message that the kernel does not take within this long (a supervisor
// that stopped reading) must not keep a finished worker alive.
const FINAL_SEND_LIMIT_MS = 1000;

/**
 * The worker's half of the message bus; `MessageRouter` is the supervisor's.
 * Both read alike: `onMessage` takes every message from the other end and
 * dispatches on its type, `send` writes one. The connection doubles as a
 * lifeline: when it closes, the supervisor is gone and `onLost` runs.
 */
export class BusClient {
  private constructor(
    private readonly channel: MessageChannel<WorkerMessage>,
    private readonly handlers: SupervisorHandlers,
  ) {}

  /** Connects to the supervisor's bus socket at `path` and says hello as worker `slot`. */
  static async connect(path: string, slot: number, handlers: SupervisorHandlers, onLost: () => void): Promise<BusClient> {
    const socket = await connectUnix(path);
    let client: BusClient | undefined;
    const channel = openChannel<SupervisorMessage, WorkerMessage>(socket, (message) => client?.onMessage(message), onLost);
    client = new BusClient(channel, handlers);
    client.send({ type: "hello", slot, pid: process.pid });
    return client;
  }

  /** Takes every message the supervisor sends; one without a handler is ignored. */
  onMessage(message: SupervisorMessage): void {
    (this.handlers[message.type] as ((m: SupervisorMessage) => void) | undefined)?.(message);
  }

  /** False when the message was not written (the connection is gone). */
  send(message: WorkerMessage): boolean {
    return this.channel.send(message);
  }

  /** Writes a message already encoded as one line of JSON (the app's bus calls, encoded once). */
  sendLine(line: string): boolean {
    return this.channel.sendLine(line);
  }

  /** Sends a last message and resolves once it has been handed to the kernel, or after a second at most. */
  sendFinal(message: WorkerMessage): Promise<void> {
    const socket = this.channel.socket;
    return new Promise((resolve) => {
      if (socket.destroyed) return resolve();
      // What this turn sent goes first, in order.
      this.channel.flush();
      socket.end(`${JSON.stringify(message)}\n`, () => resolve());
      setTimeout(resolve, FINAL_SEND_LIMIT_MS).unref?.();
    });
  }
}
