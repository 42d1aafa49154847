import { spawn } from "node:child_process";
import { currentEngine } from "./detect.ts";
import { loadLibcDatagram, unixSocketAddress } from "./notify-ffi.ts";

/** Sends systemd notify messages ("READY=1", ...) to $NOTIFY_SOCKET. */
export interface NotifyTransport {
  /** How messages travel, for the log: "libc" or "systemd-notify". */
  readonly kind: string;
  send(message: string): Promise<void>;
  /** CLOCK_MONOTONIC in microseconds, for RELOADING=1's MONOTONIC_USEC. */
  monotonicUsec(): bigint;
}

/**
 * The way to reach the notify socket on this engine. Bun and Deno call libc
 * directly through their FFI, so the datagram comes from lsky's own pid.
 * Node has no FFI and node:dgram no unix datagrams, so it runs the
 * `systemd-notify` program, whose messages come from another pid: the unit
 * then needs NotifyAccess=all (docs/systemd).
 */
export async function openNotifyTransport(socketPath: string): Promise<NotifyTransport> {
  const engine = currentEngine();
  const libc = engine === "node" ? undefined : await loadLibcDatagram(engine);
  if (libc) {
    const address = unixSocketAddress(socketPath);
    return {
      kind: "libc",
      send: async (message) => libc.send(address, new TextEncoder().encode(message)),
      monotonicUsec: () => libc.monotonicUsec(),
    };
  }
  return {
    kind: "systemd-notify",
    send: (message) => runSystemdNotify(socketPath, message),
    // On Linux, Node's hrtime is CLOCK_MONOTONIC (libuv's uv_hrtime). The
    // other engines reach this path only without a libc, where it is a guess.
    monotonicUsec: () => process.hrtime.bigint() / 1000n,
  };
}

function runSystemdNotify(socketPath: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("systemd-notify", message.split("\n"), {
      env: { ...process.env, NOTIFY_SOCKET: socketPath },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", (error) => reject(new Error(`cannot run systemd-notify: ${error.message}`)));
    child.once("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`systemd-notify exited with code ${code}${stderr ? `: ${stderr.trim()}` : ""}`));
    });
  });
}
