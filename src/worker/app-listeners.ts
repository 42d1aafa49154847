import type { WorkerSpec } from "../bus/protocol.ts";
import { assertAppFile, importModule } from "../app/load-app.ts";
import { type ListenerSpec, type ListenerStats, UDP_OWNER_SLOT } from "../config/listener-options.ts";
import { LskyError } from "../errors.ts";
import type { TcpConnection, TcpEvents, TcpListener } from "../runtime/tcp-listener.ts";
import type { UdpPeer, UdpSocket } from "../runtime/udp-socket.ts";

export interface AppListeners {
  stats(): ListenerStats[];
  /** Stops accepting, lets open connections finish until `deadline` (performance.now()), then drops them. */
  drain(deadline: number): Promise<void>;
}

interface Running {
  stats: ListenerStats;
  tcp?: TcpListener;
  udp?: UdpSocket;
}

type Report = (line: string) => void;

/** Opens the app's TCP and UDP listeners this worker serves; throws a boot failure. */
export async function startAppListeners(spec: WorkerSpec, reportError: Report): Promise<AppListeners | undefined> {
  const { settings } = spec;
  const mine = settings.listeners.filter((l) => l.protocol === "tcp" || spec.slot === UDP_OWNER_SLOT);
  if (mine.length === 0) return undefined;
  const running: Running[] = [];
  try {
    for (const listener of mine) running.push(await startOne(spec, listener, reportError));
  } catch (error) {
    for (const entry of running) entry.tcp?.forceClose(), entry.udp?.close();
    throw error;
  }
  return {
    stats: () => running.map((entry) => ({ ...entry.stats, ...(entry.tcp ? { open: entry.tcp.open } : {}) })),
    drain: (deadline) => drainAll(running, deadline),
  };
}

async function startOne(spec: WorkerSpec, listener: ListenerSpec, reportError: Report): Promise<Running> {
  const handlers = await loadListenerModule(listener);
  const hostname = listener.host ?? spec.settings.host;
  const stats: ListenerStats = { protocol: listener.protocol, port: listener.port, received: 0 };
  const report = (error: unknown) => reportError(`Listener ${listener.protocol} port ${listener.port}: ${describe(error)}`);
  if (listener.protocol === "udp") {
    const message = handlers.message as (bytes: Uint8Array, peer: UdpPeer, socket: UdpSocket) => unknown;
    // Loaded only for a UDP listener: node:dgram adds to a worker's memory (docs/BENCHMARKS.md).
    const { bindUdp } = await import("../runtime/udp-socket.ts");
    const udp = await bindUdp({
      hostname, port: listener.port,
      onMessage: (bytes, peer, socket) => {
        stats.received++;
        guard(() => message.call(handlers, bytes, peer, socket), report);
      },
    });
    return { stats, udp };
  }
  stats.limited = {};
  const limited = stats.limited;
  // Loaded only for a TCP listener: on Bun its node:net and node:cluster
  // would otherwise be loaded by every worker as it starts (docs/BENCHMARKS.md).
  const { listenTcp } = await import("../runtime/tcp-listener.ts");
  const tcp = await listenTcp({
    hostname, port: listener.port,
    maxConnections: spec.settings.listenerMaxConnections,
    idleTimeout: spec.settings.listenerIdleTimeout,
    outputBuffer: spec.settings.listenerOutputBuffer,
    events: tcpEvents(handlers, stats, report),
    onLimit: (which) => void (limited[which] = (limited[which] ?? 0) + 1),
  });
  return { stats, tcp };
}

function tcpEvents(handlers: Record<string, unknown>, stats: ListenerStats, report: (error: unknown) => void): TcpEvents {
  const call = (name: string, conn: TcpConnection, ...rest: unknown[]) => {
    const fn = handlers[name];
    if (typeof fn !== "function") return;
    // A handler that throws ends its own connection, never the worker.
    guard(() => fn.call(handlers, conn, ...rest), (error) => (report(error), conn.end()));
  };
  return {
    open: (conn) => (stats.received++, call("open", conn)),
    data: (conn, bytes) => call("data", conn, bytes),
    close: (conn) => call("close", conn),
  };
}

/** Runs an app callback, sync or async, handing what it throws to `onError`. */
function guard(run: () => unknown, onError: (error: unknown) => void): void {
  try {
    const result = run();
    if (result instanceof Promise) result.catch(onError);
  } catch (error) {
    onError(error);
  }
}

async function loadListenerModule(listener: ListenerSpec): Promise<Record<string, unknown>> {
  const path = assertAppFile(listener.module);
  const module = await importModule(listener.module, path) as { default?: unknown };
  const handlers = module.default;
  const needed = listener.protocol === "tcp" ? "data" : "message";
  if (typeof handlers !== "object" || handlers === null || typeof (handlers as Record<string, unknown>)[needed] !== "function") {
    const shape = listener.protocol === "tcp" ? "{ open?(conn), data(conn, bytes), close?(conn) }" : "{ message(bytes, peer, socket) }";
    throw new LskyError("LISTENER_INVALID", `Cannot serve ${listener.protocol} port ${listener.port}: "${listener.module}" has no default export with ${needed}()`, {
      hint: `Export default ${shape}`,
    });
  }
  return handlers as Record<string, unknown>;
}

async function drainAll(running: Running[], deadline: number): Promise<void> {
  for (const entry of running) entry.udp?.close();
  const tcp = running.flatMap((entry) => (entry.tcp ? [entry.tcp] : []));
  const force = setTimeout(() => tcp.forEach((listener) => listener.forceClose()), Math.max(0, deadline - performance.now()));
  try {
    await Promise.all(tcp.map((listener) => listener.close()));
  } finally {
    clearTimeout(force);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
