import { LskyError } from "../errors.ts";
import type { RemoteAddr, ServeOptions } from "./types.ts";

/** The peer of a request on a Unix socket: no address, no port (all three adapters report it alike). */
export const UNIX_PEER: RemoteAddr = { transport: "unix", hostname: "", port: 0 };

/**
 * The error a failed listen rejects with, the same on every engine. Each
 * engine names "address in use" its own way: Node `code: "EADDRINUSE"`,
 * Deno `name: "AddrInUse"`, Bun the code or only the message.
 */
export function listenError(error: unknown, options: Pick<ServeOptions, "unixPath" | "port">): LskyError {
  const where = options.unixPath ? `unix:${options.unixPath}` : `port ${options.port}`;
  const { code, name } = (error ?? {}) as { code?: string; name?: string };
  if (code === "EADDRINUSE" || name === "AddrInUse" || /in use/i.test(String(error))) {
    return new LskyError("PORT_IN_USE", `Cannot listen on ${where}: it is already in use`, { cause: error });
  }
  return new LskyError("LISTEN_FAILED", `Cannot listen on ${where}: ${String(error)}`, { cause: error });
}
