import { readFileSync } from "node:fs";
import { createServer } from "node:net";

// Ports for test servers come from below the kernel's ephemeral range. A port
// the kernel picks for a listener (port 0) comes from the same range as the
// local port of every outgoing connection, so between the pick and the
// server's bind another test's client could take it (seen once in CI: "port
// N is already in use"). Below the range only another pick can collide, and
// each pick is random and checked.
const LOWEST_PORT = 10_000;
// Fewer free ports than this below the ephemeral range: use the kernel's pick.
const FEWEST_PORTS = 2_000;
const TRIES = 50;

/** A port that was free a moment ago, outside the kernel's ephemeral range where it can be. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const below = ephemeralStart();
  if (below - LOWEST_PORT < FEWEST_PORTS) return kernelPick(host);
  for (let i = 0; i < TRIES; i++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (below - LOWEST_PORT));
    if (await portIsFree(port, host)) return port;
  }
  return kernelPick(host);
}

/** The first port of net.ipv4.ip_local_port_range (32768 where it cannot be read). */
export function ephemeralStart(): number {
  try {
    const first = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > 0 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

function kernelPick(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port (a bind succeeds). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
