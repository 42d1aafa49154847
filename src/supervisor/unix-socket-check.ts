import { lstatSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { LskyError } from "../errors.ts";

/**
 * Makes a Unix socket path ready to listen on. A socket file that nothing
 * answers on is a leftover of a server that died (engines do not always
 * remove theirs) and is removed; one that answers belongs to a running
 * server, which is an error, as is a path that is not a socket at all.
 */
export async function claimUnixSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // Nothing there.
  }
  if (!isSocket) {
    throw new LskyError("LISTEN_FAILED", `Cannot listen on unix:${path}: the path exists and is not a socket`, {
      hint: "Choose another path with --listen unix:PATH",
    });
  }
  if (await answers(path)) {
    throw new LskyError("PORT_IN_USE", `Cannot listen on unix:${path}: a server is listening on it`, {
      hint: "Stop the other server, or choose another path with --listen unix:PATH",
    });
  }
  rmSync(path, { force: true });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
