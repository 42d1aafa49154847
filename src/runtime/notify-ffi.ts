/**
 * A unix datagram sender through libc (./libc.ts), for Bun and Deno.
 * node:dgram has no unix datagram sockets on any engine, and systemd's
 * notify socket is one.
 */
import { type CFunctions, type Libc, loadLibc } from "./libc.ts";

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_NOSIGNAL = 0x4000;
const CLOCK_MONOTONIC = 1;

/** The libc calls a datagram send needs, whichever FFI provides them. */
export interface LibcDatagram {
  /** Sends one datagram to the unix socket address; throws with errno on failure. */
  send(address: Uint8Array, payload: Uint8Array): void;
  /** CLOCK_MONOTONIC in microseconds, as systemd wants it in MONOTONIC_USEC. */
  monotonicUsec(): bigint;
}

/**
 * A `struct sockaddr_un` for `path` and its length. A path starting with "@"
 * names an abstract socket (a leading NUL byte, no terminating one).
 */
export function unixSocketAddress(path: string): Uint8Array {
  const abstract = path.startsWith("@");
  const name = new TextEncoder().encode(abstract ? path.slice(1) : path);
  if (name.length > 107) throw new RangeError(`Socket path is too long (${name.length} bytes, at most 107): ${path}`);
  const bytes = new Uint8Array(2 + (abstract ? 1 : 0) + name.length + (abstract ? 0 : 1));
  new DataView(bytes.buffer).setUint16(0, AF_UNIX, true);
  bytes.set(name, abstract ? 3 : 2);
  return bytes;
}

const DATAGRAM_FUNCTIONS = {
  socket: { args: ["i32", "i32", "i32"], returns: "i32" },
  sendto: { args: ["i32", "buffer", "usize", "i32", "buffer", "u32"], returns: "isize" },
  close: { args: ["i32"], returns: "i32" },
  clock_gettime: { args: ["i32", "buffer"], returns: "i32" },
} as const satisfies CFunctions;

export async function loadLibcDatagram(engine: "bun" | "deno"): Promise<LibcDatagram | undefined> {
  const libc = await loadLibc(engine, DATAGRAM_FUNCTIONS);
  return libc && datagramFrom(libc.fn, libc.wide);
}

type Symbols = Libc<typeof DATAGRAM_FUNCTIONS>["fn"];

/** `size` converts a length to what the FFI wants for size_t (a number in Bun, a bigint in Deno). */
function datagramFrom(lib: Symbols, size: (n: number) => number | bigint): LibcDatagram {
  return {
    send(address, payload) {
      const fd = Number(lib.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
      if (fd < 0) throw new Error("socket(AF_UNIX, SOCK_DGRAM) failed");
      try {
        const sent = BigInt(lib.sendto(fd, payload, size(payload.length), MSG_NOSIGNAL, address, address.length));
        if (sent < 0n) throw new Error("sendto failed: is anything listening on that socket?");
      } finally {
        lib.close(fd);
      }
    },
    monotonicUsec() {
      const timespec = new BigInt64Array(2);
      if (Number(lib.clock_gettime(CLOCK_MONOTONIC, timespec)) !== 0) throw new Error("clock_gettime failed");
      return timespec[0]! * 1_000_000n + timespec[1]! / 1000n;
    },
  };
}
