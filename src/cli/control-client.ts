import { LskyError } from "../errors.ts";
import { askControlSocket, type ControlCommand } from "../supervisor/control-protocol.ts";
import { controlPathForDir, controlPathForPort } from "../paths.ts";

/** Sends one command to a running server and returns its reply's data. */
export async function sendControl(command: ControlCommand, port: number | undefined): Promise<unknown> {
  const path = port === undefined ? controlPathForDir(process.cwd()) : controlPathForPort(port);
  try {
    return await askControlSocket(path, command);
  } catch (error) {
    if (error instanceof LskyError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    // One line, no hint: scripts run this to ask "is it up?" and read exit code 3.
    if (code === "ENOENT" || code === "ECONNREFUSED") throw new LskyError("NO_SERVER", noServerMessage(port));
    const where = port === undefined ? `started in ${process.cwd()}` : `on port ${port}`;
    throw new LskyError("CONTROL_FAILED", `Cannot reach the server ${where}: ${message}`);
  }
}

function noServerMessage(port: number | undefined): string {
  return port === undefined ? `No lsky server started in ${process.cwd()} is running` : `No lsky server is running on port ${port}`;
}
