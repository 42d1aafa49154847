import { connect } from "node:net";
import { openChannel } from "../bus/ndjson.ts";
import { LskyError } from "../errors.ts";
import type { ControlCommand, ControlReply, ControlRequest } from "../supervisor/control-server.ts";
import { controlPathForDir, controlPathForPort } from "../supervisor/paths.ts";

/** Sends one command to a running server and returns its reply's data. */
export function sendControl(command: ControlCommand, port: number | undefined): Promise<unknown> {
  const path = port === undefined ? controlPathForDir(process.cwd()) : controlPathForPort(port);
  const where = port === undefined ? `started in ${process.cwd()}` : `on port ${port}`;
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") {
        // One line, no hint: scripts run this to ask "is it up?" and read exit code 3.
        reject(new LskyError("NO_SERVER", `No lsky server is running ${where}`));
      } else {
        reject(new LskyError("CONTROL_FAILED", `Cannot reach the server ${where}: ${error.message}`));
      }
    });
    socket.once("connect", () => {
      let settled = false;
      const channel = openChannel<ControlReply, ControlRequest>(socket, (reply) => {
        settled = true;
        if (reply.ok) resolve(reply.data);
        else reject(new LskyError("CONTROL_FAILED", `The server could not ${command}: ${reply.error}`));
      }, () => {
        if (!settled) reject(new LskyError("CONTROL_FAILED", `The server closed the connection before answering "${command}"`));
      });
      channel.send({ command });
    });
  });
}
