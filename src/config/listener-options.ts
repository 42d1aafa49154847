import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { LskyError } from "../errors.ts";
import { parseDuration, parseInteger, parseSize } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

export type ListenerProtocol = "tcp" | "udp";

/** One extra port the server serves with a module of the app's (docs/LISTENERS.md). */
export interface ListenerSpec {
  port: number;
  protocol: ListenerProtocol;
  /** Absolute path of the module whose default export handles the traffic. */
  module: string;
  /** Address to bind; the server's --host when absent. */
  host?: string;
}

/**
 * TCP and UDP listeners beside the HTTP port, and the limits their TCP
 * connections share. The limits apply per worker, as the HTTP ones do.
 */
export interface ListenerSettings {
  listeners: ListenerSpec[];
  /** Open TCP connections per worker and listener; further ones are closed at once. */
  listenerMaxConnections: number;
  /** A TCP connection that neither sends nor receives for this long is closed (0: never). */
  listenerIdleTimeout: number;
  /** Bytes a TCP connection may have queued for a slow client before it is closed. */
  listenerOutputBuffer: number;
}

const setting = settingFor<ListenerSettings>();
const PROTOCOLS: readonly ListenerProtocol[] = ["tcp", "udp"];
const ENTRY_TEXT = /^(tcp|udp):(?:(.+):)?(\d{1,5})=(.+)$/;

/**
 * `tcp:7000=./echo-tcp.ts,udp:127.0.0.1:7001=./echo-udp.ts`: the flag and
 * environment form. Module paths are relative to the working directory.
 */
export function parseListenerList(text: string): ListenerSpec[] {
  const entries = text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = ENTRY_TEXT.exec(part);
    if (!match) throw new RangeError(`expected entries such as tcp:7000=./echo.ts, got "${part}"`);
    const [, protocol, host, port, module] = match;
    // An IPv6 address is written in brackets, as in a URL.
    const address = host?.replace(/^\[(.*)\]$/, "$1");
    return checkListener({ protocol, port: Number(port), module, ...(address ? { host: address } : {}) }, process.cwd());
  });
  return checkUnique(entries);
}

/** The text form of a list, as `lsky config` prints it; "none" for no listeners. */
export function formatListenerList(listeners: readonly ListenerSpec[]): string {
  if (listeners.length === 0) return "none";
  return listeners.map((l) => {
    const host = l.host === undefined ? "" : l.host.includes(":") ? `[${l.host}]:` : `${l.host}:`;
    return `${l.protocol}:${host}${l.port}=${l.module}`;
  }).join(",");
}

/** The config file form, an array of `{ port, protocol, module, host? }`; paths relative to `baseDir`. */
export function listenersFromFile(value: object, baseDir = process.cwd()): ListenerSpec[] {
  if (!Array.isArray(value)) throw new RangeError("expected an array of { port, protocol, module }");
  return checkUnique(value.map((entry) => checkListener(entry, baseDir)));
}

/**
 * A config file names modules relative to itself: made absolute before the
 * file's values are checked (which only knows the working directory).
 */
export function rebaseListenerModules(raw: unknown, configDir: string): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const listeners = (raw as { listeners?: unknown }).listeners;
  if (!Array.isArray(listeners)) return raw;
  const rebased = listeners.map((entry) => {
    const module = typeof entry === "object" && entry !== null ? (entry as { module?: unknown }).module : undefined;
    return typeof module === "string" && module !== "" ? { ...entry, module: resolve(configDir, module) } : entry;
  });
  return { ...raw, listeners: rebased };
}

function checkListener(entry: unknown, baseDir: string): ListenerSpec {
  if (typeof entry !== "object" || entry === null) throw new RangeError("expected each listener to be { port, protocol, module }");
  const { port, protocol, module, host } = entry as Record<string, unknown>;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`expected a listener port from 1 to 65535, got ${JSON.stringify(port)}`);
  }
  if (!PROTOCOLS.includes(protocol as ListenerProtocol)) {
    throw new RangeError(`expected protocol "tcp" or "udp" for port ${port}, got ${JSON.stringify(protocol)}`);
  }
  if (typeof module !== "string" || module === "") throw new RangeError(`expected a module path for port ${port}`);
  if (host !== undefined && (typeof host !== "string" || host.trim() === "")) throw new RangeError(`expected a host address for port ${port}`);
  const path = isAbsolute(module) ? module : resolve(baseDir, module);
  return { port, protocol: protocol as ListenerProtocol, module: path, ...(host ? { host: host as string } : {}) };
}

function checkUnique(entries: ListenerSpec[]): ListenerSpec[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = `${entry.protocol}:${entry.port}`;
    if (seen.has(key)) throw new RangeError(`expected one listener per port, got ${entry.protocol} port ${entry.port} twice`);
    seen.add(key);
  }
  return entries;
}

/** A worker's figures for one listener, in its stats (and `lsky status --json`). */
export interface ListenerStats {
  protocol: "tcp" | "udp";
  port: number;
  /** TCP: connections open now. */
  open?: number;
  /** TCP: connections accepted; UDP: datagrams received. */
  received: number;
  /** TCP: connections refused or closed by a limit, by limit. */
  limited?: Record<string, number>;
}

/**
 * UDP has no shared port on any engine, so one process owns each UDP
 * listener: the HTTP worker in slot 1 (docs/LISTENERS.md). TCP listeners
 * are opened by every worker.
 */
export const UDP_OWNER_SLOT = 1;

/**
 * Checked before any worker starts: a TCP listener on the HTTP port would
 * share it silently (both bind with SO_REUSEPORT on Bun and Deno), and a
 * missing module would fail every worker's boot one by one.
 */
export function checkListeners(settings: { listeners: readonly ListenerSpec[]; port: number; httpRedirect: number; listen: string }): void {
  const httpPorts = [settings.listen ? 0 : settings.port, settings.httpRedirect].filter((port) => port > 0);
  for (const listener of settings.listeners) {
    if (listener.protocol === "tcp" && httpPorts.includes(listener.port)) {
      throw new LskyError("INVALID_CONFIG", `Invalid listener tcp port ${listener.port}: the HTTP server listens on it`, {
        hint: "Give the listener another port",
      });
    }
    if (!existsSync(listener.module) || !statSync(listener.module).isFile()) {
      throw new LskyError("INVALID_CONFIG", `Invalid listener ${listener.protocol} port ${listener.port}: no such module "${listener.module}"`, {
        hint: "Module paths are relative to the config file, or to the working directory on the command line",
      });
    }
  }
}

export const LISTENER_SETTINGS = [
  setting({
    key: "listeners", group: "listening", flag: "listeners", env: ["LSKY_LISTENERS"], valueName: "LIST",
    description: "TCP/UDP ports served by app modules: tcp:7000=./echo.ts,udp:7001=./udp.ts (see docs/LISTENERS.md)",
    parse: parseListenerList,
    fromFile: (value) => listenersFromFile(value),
    defaultValue: () => [],
  }),
  setting({
    key: "listenerMaxConnections", group: "listening", flag: "listener-max-connections", env: ["LSKY_LISTENER_MAX_CONNECTIONS"],
    valueName: "N",
    description: "Open connections per worker on each TCP listener; further ones are closed at once",
    parse: (t) => parseInteger(t, 1, 1_000_000),
    defaultValue: () => 10_000,
  }),
  setting({
    key: "listenerIdleTimeout", group: "listening", flag: "listener-idle-timeout", env: ["LSKY_LISTENER_IDLE_TIMEOUT"],
    valueName: "DURATION",
    description: "Close a TCP listener connection with no traffic either way for this long (0: never)",
    parse: (t) => {
      const ms = parseDuration(t);
      if (ms < 0 || ms > 86_400_000) throw new RangeError("expected a duration up to 24h");
      return ms;
    },
    // Far longer than HTTP keep-alive: a raw TCP client is often a device
    // that stays quiet for minutes between messages.
    defaultValue: () => 300_000,
  }),
  setting({
    key: "listenerOutputBuffer", group: "listening", flag: "listener-output-buffer", env: ["LSKY_LISTENER_OUTPUT_BUFFER"],
    valueName: "SIZE",
    description: "Bytes queued for one slow TCP listener client before lsky closes its connection",
    parse: (t) => parseSize(t, 1024 ** 3),
    defaultValue: () => 4 * 1024 * 1024,
  }),
] as const;
