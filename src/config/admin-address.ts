export interface AdminAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT` or a bare `PORT` (loopback). */
export function parseAdminAddress(text: string): AdminAddress {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  const plain = /^([^:]*):(\d+)$/.exec(value);
  const bare = /^(\d+)$/.exec(value);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]!]
    : plain ? [plain[1] || "127.0.0.1", plain[2]!]
    : bare ? ["127.0.0.1", bare[1]!]
    : ["", ""];
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError('expected HOST:PORT such as "127.0.0.1:9000", "[::1]:9000" or a port');
  }
  return { host, port };
}
