import { rmSync } from "node:fs";
import type { Server } from "node:net";

/**
 * Listens on a Unix socket only its owner may open, in the runtime directory
 * (already checked to be this user's, mode 0700: src/private-dir.ts),
 * replacing a stale file of a server that died. The socket is born 0600: a
 * chmod after listen would leave a moment where it is open to others, and
 * chmod follows a symbolic link that someone may have swapped in meanwhile.
 * The umask is process-wide, so it is restored at once: Node, Bun and Deno
 * all bind inside the listen() call (checked by the control-plane tests).
 */
export function listenPrivate(server: Server, path: string): Promise<Server> {
  rmSync(path, { force: true });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const previous = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off("error", reject);
        resolve(server);
      });
    } finally {
      process.umask(previous);
    }
  });
}
