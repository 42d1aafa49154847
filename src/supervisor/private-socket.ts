import { chmodSync, rmSync } from "node:fs";
import type { Server } from "node:net";

/**
 * Listens on a Unix socket only its owner may open (0600, inside the 0700
 * runtime directory), replacing a stale file of a server that died.
 */
export function listenPrivate(server: Server, path: string): Promise<Server> {
  rmSync(path, { force: true });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      server.off("error", reject);
      resolve(server);
    });
  });
}
