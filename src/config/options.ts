import type { Engine } from "../runtime/types.ts";
import { availableCpus } from "./cpus.ts";
import { LIMIT_SETTINGS, type LimitSettings } from "./limit-options.ts";
import { parseBoolean, parseChoice, parseDuration, parseInteger } from "./parse-value.ts";

export const ENGINES = ["bun", "deno", "node"] as const satisfies readonly Engine[];

/**
 * Every tunable lsky has, with its one default. A setting is given by flag,
 * by `LSKY_*` environment variable, or (later) by config file, with precedence
 * flag > environment > file > default. Nothing else in lsky defines a default.
 */
export interface ServeSettings extends LimitSettings {
  host: string;
  port: number;
  runtime: Engine;
  workers: number;
  gracePeriod: number;
  drainDelay: number;
  bootTimeout: number;
  maxRequests: number;
  maxMemory: number;
  ttl: number;
  heartbeatTimeout: number;
  watch: boolean;
  pidFile: string;
  dev: boolean;
}

export type SettingKey = keyof ServeSettings;

export interface SettingSpec<K extends SettingKey = SettingKey> {
  key: K;
  /** The long flag, without dashes. */
  flag: string;
  /** Environment variables, first found wins. */
  env: readonly string[];
  /** A boolean flag takes no value on the command line. */
  boolean?: boolean;
  /** Shown in `--help`. */
  valueName?: string;
  description: string;
  parse(text: string): ServeSettings[K];
  defaultValue(context: DefaultContext): ServeSettings[K];
}

export interface DefaultContext {
  /** The engine lsky itself is running on. */
  currentEngine: Engine;
}

const MAX_TIMEOUT_MS = 24 * 3_600_000;

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms > MAX_TIMEOUT_MS) throw new RangeError("expected a duration of at most 24h");
  return ms;
}

function spec<K extends SettingKey>(s: SettingSpec<K>): SettingSpec<K> {
  return s;
}

export const SETTINGS = [
  spec({
    key: "host", flag: "host", env: ["LSKY_HOST"], valueName: "ADDR",
    description: "Address to listen on",
    parse: (t) => {
      if (!t.trim()) throw new RangeError("expected an address such as 0.0.0.0, 127.0.0.1 or ::");
      return t.trim();
    },
    defaultValue: () => "0.0.0.0",
  }),
  spec({
    key: "port", flag: "port", env: ["LSKY_PORT", "PORT"], valueName: "N",
    description: "Port to listen on (0 picks a free one)",
    parse: (t) => parseInteger(t, 0, 65535),
    defaultValue: () => 8000,
  }),
  spec({
    key: "runtime", flag: "runtime", env: ["LSKY_RUNTIME"], valueName: "ENGINE",
    description: "Engine that runs the app: bun, deno or node (default: the one lsky runs on)",
    parse: (t) => parseChoice(t, ENGINES),
    defaultValue: (c) => c.currentEngine,
  }),
  spec({
    key: "workers", flag: "workers", env: ["LSKY_WORKERS"], valueName: "N",
    description: "Number of HTTP workers (default: CPUs available, honouring cgroup quotas)",
    parse: (t) => parseInteger(t, 1, 1024),
    defaultValue: () => availableCpus(),
  }),
  spec({
    key: "gracePeriod", flag: "grace-period", env: ["LSKY_GRACE_PERIOD"], valueName: "DURATION",
    description: "How long in-flight requests may run after stop or reload before the worker is killed",
    parse: duration,
    defaultValue: () => 30_000,
  }),
  spec({
    key: "drainDelay", flag: "drain-delay", env: ["LSKY_DRAIN_DELAY"], valueName: "DURATION",
    description: "How long a draining worker answers with Connection: close before it closes its listener",
    parse: duration,
    defaultValue: () => 300,
  }),
  spec({
    key: "bootTimeout", flag: "boot-timeout", env: ["LSKY_BOOT_TIMEOUT"], valueName: "DURATION",
    description: "How long a worker may take to load the app and listen",
    parse: duration,
    defaultValue: () => 30_000,
  }),
  spec({
    key: "maxRequests", flag: "max-requests", env: ["LSKY_MAX_REQUESTS"], valueName: "N",
    description: "Recycle a worker after it served N requests (0: off)",
    parse: (t) => parseInteger(t, 0, Number.MAX_SAFE_INTEGER),
    defaultValue: () => 0,
  }),
  spec({
    key: "maxMemory", flag: "max-memory", env: ["LSKY_MAX_MEMORY"], valueName: "MB",
    description: "Recycle a worker whose resident memory exceeds MB megabytes (0: off)",
    parse: (t) => parseInteger(t, 0, 1_048_576),
    defaultValue: () => 0,
  }),
  spec({
    key: "ttl", flag: "ttl", env: ["LSKY_TTL"], valueName: "DURATION",
    description: "Recycle a worker after it has lived this long (0: off)",
    parse: duration,
    defaultValue: () => 0,
  }),
  spec({
    key: "heartbeatTimeout", flag: "heartbeat-timeout", env: ["LSKY_HEARTBEAT_TIMEOUT"], valueName: "DURATION",
    description: "Kill and replace a worker whose event loop is blocked this long (0: never)",
    parse: duration,
    defaultValue: () => 5_000,
  }),
  spec({
    key: "watch", flag: "watch", env: ["LSKY_WATCH"], boolean: true,
    description: "Reload the workers when files in the app's directory change",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "pidFile", flag: "pid-file", env: ["LSKY_PID_FILE"], valueName: "PATH",
    description: "Write the supervisor's process id to PATH (removed on exit)",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "dev", flag: "dev", env: ["LSKY_DEV"], boolean: true,
    description: "Development mode: error pages show the message and stack",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  ...LIMIT_SETTINGS,
] as const;

export function findSettingByFlag(flag: string): SettingSpec | undefined {
  return (SETTINGS as readonly SettingSpec[]).find((s) => s.flag === flag);
}
