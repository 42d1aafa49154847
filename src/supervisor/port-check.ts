import { createServer } from "node:net";
import { LskyError } from "../errors.ts";

/**
 * Binds the port once without SO_REUSEPORT and lets it go, returning the port
 * (a free one when 0 was asked). Workers bind with SO_REUSEPORT, which would
 * happily share a port with another lsky; this check makes "port in use" an
 * error instead.
 */
export function claimPort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new LskyError("PORT_IN_USE", `Cannot listen on port ${port}: it is already in use`, {
          hint: "Stop the other server, or choose another port with --port",
        }));
      } else {
        reject(new LskyError("LISTEN_FAILED", `Cannot listen on ${host}:${port}: ${error.message}`));
      }
    });
    probe.listen({ host, port, exclusive: true }, () => {
      const address = probe.address();
      const bound = typeof address === "object" && address ? address.port : port;
      probe.close(() => resolve(bound));
    });
  });
}
