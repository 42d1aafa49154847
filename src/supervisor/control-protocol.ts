import { connect } from "node:net";
import { openChannel } from "../bus/ndjson.ts";
import { LskyError } from "../errors.ts";

/** What `lsky status|reload|stop` ask a supervisor over its control socket. */
export type ControlCommand = "status" | "reload" | "stop";
export interface ControlRequest {
  command: ControlCommand;
}
/** A refusal carries the error's hint too: a failed reload's says what the new worker's app threw. */
export type ControlReply = { ok: true; data?: unknown } | { ok: false; error: string; hint?: string };

/**
 * Sends one command to the control socket at `path` and resolves with the
 * reply's data. A socket that cannot be reached rejects with the connection's
 * own error (its `code` tells a stale socket from another failure, for the
 * caller to word); with `timeoutMs`, no answer by then is CONTROL_FAILED (a
 * reload takes as long as the pool's drain, so only listing sets one).
 */
export function askControlSocket(path: string, command: ControlCommand, timeoutMs?: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      socket.destroy();
      reject(new LskyError("CONTROL_FAILED", `The server on ${path} did not answer "${command}"`));
    }, timeoutMs);
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    socket.once("error", (error) => settle(() => reject(error)));
    socket.once("connect", () => {
      let answered = false;
      const channel = openChannel<ControlReply, ControlRequest>(socket, (reply) => {
        answered = true;
        settle(() => reply.ok ? resolve(reply.data) : reject(new LskyError("CONTROL_FAILED", `The server could not ${command}: ${reply.error}`, { hint: reply.hint })));
        socket.end();
      }, () => {
        if (!answered) settle(() => reject(new LskyError("CONTROL_FAILED", `The server closed the connection before answering "${command}"`)));
      });
      channel.send({ command });
    });
  });
}
