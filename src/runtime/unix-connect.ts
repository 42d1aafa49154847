import type { LineSocket } from "../bus/ndjson.ts";
import { connectBunUnix } from "./bun-unix-socket.ts";
import { currentEngine } from "./detect.ts";

/**
 * Connects to a Unix socket for a channel (bus/ndjson.ts). On Bun through
 * Bun's own sockets: node:net there builds Node's stream layer, which a
 * worker would pay for before its first response. Elsewhere node:net, loaded
 * only here so that Bun never evaluates it for this.
 */
export async function connectUnix(path: string): Promise<LineSocket> {
  if (currentEngine() === "bun") return connectBunUnix(path);
  const { connect } = await import("node:net");
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
  });
}
