import { isAbsolute, resolve } from "node:path";
import { LskyError } from "../errors.ts";
import { closestMatch } from "./closest.ts";
import { parseChoice, parseInteger, parseTimeout } from "./parse-value.ts";

/** What a reload does to a custom process: replace it, send it a signal, or leave it alone. */
export const PROCESS_RELOAD_MODES = ["restart", "signal", "none"] as const;
export type ProcessReloadMode = (typeof PROCESS_RELOAD_MODES)[number];

/** One entry of `processes` in lsky.config.ts, as written (durations as "5s" or a number of seconds). */
export interface ProcessConfig {
  /** A module whose default export is { start(ctx), stop?(ctx) }, relative to the config file. */
  module?: string;
  /** A program and its arguments, started in the config file's directory. */
  command?: string[];
  instances?: number;
  /** Delay before the first restart after a failure; it doubles on each failure in a row. */
  restartDelay?: number | string;
  maxRestartDelay?: number | string;
  /** A process that ran this long before it failed was stable: its failures count from zero again. */
  minUptime?: number | string;
  /** Restarts in a row of a process that failed within minUptime, after which lsky gives up on it. */
  maxRestarts?: number;
  stopSignal?: string;
  /** Time it has to exit after the stop signal (or after stop(ctx) is called) before SIGKILL. */
  stopTimeout?: number | string;
  reload?: ProcessReloadMode;
  reloadSignal?: string;
  /** Added to the environment lsky itself was given. */
  env?: Record<string, string>;
}

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGKILL"] as const;
/** The signals a process may be stopped or reloaded with (a type of its own: the package's types need no Node globals). */
export type ProcessSignal = (typeof SIGNALS)[number];

/** A process entry checked, with its defaults filled in and its paths absolute. */
export interface ProcessSpec {
  name: string;
  module?: string;
  command?: string[];
  cwd: string;
  instances: number;
  restartDelay: number;
  maxRestartDelay: number;
  minUptime: number;
  maxRestarts: number;
  stopSignal: ProcessSignal;
  stopTimeout: number;
  reload: ProcessReloadMode;
  reloadSignal: ProcessSignal;
  env: Record<string, string>;
}

/** The defaults (PM2's min_uptime is 1 s; its kill_timeout 1.6 s is short for a stop(ctx) that flushes). */
export const PROCESS_DEFAULTS = {
  instances: 1,
  restartDelay: 100,
  maxRestartDelay: 10_000,
  minUptime: 1000,
  maxRestarts: 10,
  stopSignal: "SIGTERM",
  stopTimeout: 5000,
  reload: "restart",
  reloadSignal: "SIGHUP",
} as const satisfies Partial<Record<keyof ProcessSpec, unknown>>;

const KEYS = ["module", "command", "instances", "restartDelay", "maxRestartDelay", "minUptime", "maxRestarts", "stopSignal", "stopTimeout", "reload", "reloadSignal", "env"];
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

/**
 * Checks the `processes` value of a config file (`file` names it in errors,
 * `baseDir` is its directory). Any problem fails with INVALID_CONFIG (exit 2)
 * naming the process, the key and what is allowed.
 */
export function validateProcesses(raw: unknown, file: string, baseDir: string): ProcessSpec[] {
  if (!isPlainObject(raw)) throw invalid(file, "processes", raw, "an object of processes by name, such as { mailer: { module: \"./mailer.ts\" } }");
  return Object.entries(raw).map(([name, entry]) => {
    if (!NAME.test(name)) throw invalid(file, "processes", name, "process names of letters, digits, - and _ (up to 40)");
    if (!isPlainObject(entry)) throw invalid(file, `processes.${name}`, entry, "an object with module or command");
    return validateProcess(name, entry, file, baseDir);
  });
}

function validateProcess(name: string, entry: Record<string, unknown>, file: string, baseDir: string): ProcessSpec {
  const at = (key: string) => `processes.${name}.${key}`;
  for (const key of Object.keys(entry)) {
    if (!KEYS.includes(key)) {
      const suggestion = closestMatch(key, KEYS);
      throw new LskyError("INVALID_CONFIG", `Unknown key "${at(key)}" in ${file}${suggestion ? `: did you mean "${suggestion}"?` : ""}`, {
        hint: `A process takes: ${KEYS.join(", ")}`,
      });
    }
  }
  const field = <T>(key: string, parse: (text: string) => T, fallback: T): T => {
    const value = entry[key];
    if (value === undefined) return fallback;
    if (typeof value !== "string" && typeof value !== "number") throw invalid(file, at(key), value, "a number or a string");
    try {
      return parse(String(value));
    } catch (error) {
      throw invalid(file, at(key), value, (error as Error).message.replace(/^expected /, ""));
    }
  };
  const duration = (key: string, fallback: number) => field(key, (t) => parseTimeout(t), fallback);
  const signal = (key: string, fallback: ProcessSignal) => field(key, (t) => parseChoice(t, SIGNALS), fallback);
  return {
    name,
    ...target(name, entry, file, baseDir),
    cwd: baseDir,
    instances: field("instances", (t) => parseInteger(t, 1, 64), PROCESS_DEFAULTS.instances),
    restartDelay: duration("restartDelay", PROCESS_DEFAULTS.restartDelay),
    maxRestartDelay: duration("maxRestartDelay", PROCESS_DEFAULTS.maxRestartDelay),
    minUptime: duration("minUptime", PROCESS_DEFAULTS.minUptime),
    maxRestarts: field("maxRestarts", (t) => parseInteger(t, 0, 1000), PROCESS_DEFAULTS.maxRestarts),
    stopSignal: signal("stopSignal", PROCESS_DEFAULTS.stopSignal),
    stopTimeout: field("stopTimeout", (t) => parseTimeout(t, { allowZero: false }), PROCESS_DEFAULTS.stopTimeout),
    reload: field("reload", (t) => parseChoice(t, PROCESS_RELOAD_MODES), PROCESS_DEFAULTS.reload),
    reloadSignal: signal("reloadSignal", PROCESS_DEFAULTS.reloadSignal),
    env: environment(entry.env, file, at("env")),
  };
}

/** Exactly one of module (a path) and command (a non-empty array of strings). */
function target(name: string, entry: Record<string, unknown>, file: string, baseDir: string): { module?: string; command?: string[] } {
  const { module, command } = entry;
  if ((module === undefined) === (command === undefined)) {
    throw new LskyError("INVALID_CONFIG", `Invalid process "${name}" in ${file}: give exactly one of "module" and "command"`, {
      hint: 'module: "./mailer.ts" (default export { start(ctx), stop(ctx) }), or command: ["python3", "legacy.py"]',
    });
  }
  if (module !== undefined) {
    if (typeof module !== "string" || !module) throw invalid(file, `processes.${name}.module`, module, "a path to a module");
    return { module: isAbsolute(module) ? module : resolve(baseDir, module) };
  }
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === "string") || !command[0]) {
    throw invalid(file, `processes.${name}.command`, command, 'a program and its arguments, such as ["python3", "legacy.py"]');
  }
  return { command: command as string[] };
}

function environment(raw: unknown, file: string, key: string): Record<string, string> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw) || !Object.values(raw).every((v) => typeof v === "string")) {
    throw invalid(file, key, raw, "an object of strings");
  }
  return raw as Record<string, string>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(file: string, key: string, value: unknown, allowed: string): LskyError {
  return new LskyError("INVALID_CONFIG", `Invalid value ${describe(value)} for "${key}" in ${file}: expected ${allowed}`, {
    hint: "docs/PROCESSES.md lists what a process takes",
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
}
