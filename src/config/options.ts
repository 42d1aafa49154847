import { type CacheRules, cacheRulesFromObject, parseCacheRules } from "../http/static/cache-rules.ts";
import type { Engine } from "../runtime/types.ts";
import { parseAdminAddress } from "./admin-address.ts";
import { availableCpus } from "./cpus.ts";
import { LIMIT_SETTINGS, type LimitSettings } from "./limit-options.ts";
import { WEBSOCKET_SETTINGS, type WebSocketSettings } from "./websocket-options.ts";
import { parseBoolean, parseChoice, parseDuration, parseInteger } from "./parse-value.ts";
import { parseListen, parseTrustList } from "./parse-edges.ts";
import { defaultStaticDir, parseStaticDir } from "./static-dir.ts";

export const ENGINES = ["bun", "deno", "node"] as const satisfies readonly Engine[];

/**
 * Every tunable lsky has, with its one default. A setting is given by flag,
 * by `LSKY_*` environment variable, or by config file key (the setting's key), with precedence
 * flag > environment > file > default. Nothing else in lsky defines a default.
 */
export interface ServeSettings extends LimitSettings, WebSocketSettings {
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
  watchIgnore: string[];
  pidFile: string;
  dev: boolean;
  admin: string;
  logFormat: LogFormat;
  /** Absolute path of the static directory, or "" for none. */
  static: string;
  staticCache: CacheRules;
  compress: boolean;
  compressThreshold: number;
  // Production edges: proxies, TLS, unix sockets, access log.
  trustProxy: string[];
  https: boolean;
  tlsCert: string;
  tlsKey: string;
  httpRedirect: number;
  listen: string;
  accessLog: boolean;
}

export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
  /** Reads a structured value from a config file (objects, arrays); undefined: not this shape. */
  fromFile?(value: object): ServeSettings[K] | undefined;
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

function parsePatternList(text: string): string[] {
  return text.split(",").map((p) => p.trim()).filter(Boolean);
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
    description: "Reload the workers when the app's sources or config files change (see docs/OPERATIONS.md)",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "watchIgnore", flag: "watch-ignore", env: ["LSKY_WATCH_IGNORE"], valueName: "PATTERNS",
    description: "Comma-separated gitignore-style patterns --watch skips, besides .gitignore, node_modules, .git and dist",
    parse: parsePatternList,
    // Tool output that holds .js/.json files but is not the app's code.
    defaultValue: () => ["coverage/", ".cache/"],
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
  spec({
    key: "admin", flag: "admin", env: ["LSKY_ADMIN"], valueName: "HOST:PORT",
    description: "Admin listener for /metrics (Prometheus), /healthz and /readyz; off unless set",
    parse: (t) => {
      if (t.trim() === "") return "";
      const { host, port } = parseAdminAddress(t);
      return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    },
    defaultValue: () => "",
  }),
  spec({
    key: "logFormat", flag: "log-format", env: ["LSKY_LOG_FORMAT"], valueName: "FORMAT",
    description: "Format of every line lsky prints (its own and the workers' output): text or json",
    parse: (t) => parseChoice(t, LOG_FORMATS),
    defaultValue: () => "text" as LogFormat,
  }),
  spec({
    key: "static", flag: "static", env: ["LSKY_STATIC"], valueName: "DIR",
    description: 'Serve files from DIR before the app ("off" or "": none; default: ./public when it exists)',
    parse: parseStaticDir,
    defaultValue: defaultStaticDir,
  }),
  spec({
    key: "staticCache", flag: "static-cache", env: ["LSKY_STATIC_CACHE"], valueName: "RULES",
    description: 'Cache-Control for static files by pattern: "*.js,*.css=public, max-age=31536000, immutable; *.html=no-cache"',
    parse: parseCacheRules,
    fromFile: cacheRulesFromObject,
    defaultValue: () => [],
  }),
  spec({
    key: "compress", flag: "compress", env: ["LSKY_COMPRESS"], boolean: true,
    description: "Compress responses (br, zstd where the engine has it, gzip) for clients that accept it",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "compressThreshold", flag: "compress-threshold", env: ["LSKY_COMPRESS_THRESHOLD"], valueName: "BYTES",
    description: "Smallest response body that --compress compresses",
    parse: (t) => parseInteger(t, 0, 1_073_741_824),
    defaultValue: () => 1024,
  }),
  spec({
    key: "trustProxy", flag: "trust-proxy", env: ["LSKY_TRUST_PROXY"], valueName: "LIST",
    description: "Believe X-Forwarded-*/Forwarded from these peers: IPs, CIDRs, loopback, private, unix, all",
    parse: parseTrustList,
    defaultValue: () => [],
  }),
  spec({
    key: "https", flag: "https", env: ["LSKY_HTTPS"], boolean: true,
    description: "The app sees https:// URLs (TLS ends at a proxy in front), as OCTANE_HTTPS does",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "tlsCert", flag: "tls-cert", env: ["LSKY_TLS_CERT"], valueName: "FILE",
    description: "PEM certificate (chain) file: serve HTTPS (needs --tls-key)",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "tlsKey", flag: "tls-key", env: ["LSKY_TLS_KEY"], valueName: "FILE",
    description: "PEM private key file for --tls-cert",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "httpRedirect", flag: "http-redirect", env: ["LSKY_HTTP_REDIRECT"], valueName: "PORT",
    description: "Also listen for plain HTTP on PORT and redirect it to HTTPS with 308 (0: off)",
    parse: (t) => parseInteger(t, 0, 65535),
    defaultValue: () => 0,
  }),
  spec({
    key: "listen", flag: "listen", env: ["LSKY_LISTEN"], valueName: "unix:PATH",
    description: "Listen on a Unix socket instead of --host/--port (several workers: see docs/DEPLOYMENT.md)",
    parse: parseListen,
    defaultValue: () => "",
  }),
  spec({
    key: "accessLog", flag: "access-log", env: ["LSKY_ACCESS_LOG"], boolean: true,
    description: "Print one line per request: time, client, method, path, status, bytes, duration",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  ...LIMIT_SETTINGS,
  ...WEBSOCKET_SETTINGS,
] as const;

export function findSettingByFlag(flag: string): SettingSpec | undefined {
  return (SETTINGS as readonly SettingSpec[]).find((s) => s.flag === flag);
}
