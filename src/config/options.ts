import { type CacheRules, cacheRulesFromObject, parseCacheRules } from "./cache-rules.ts";
import { LOG_FORMATS, type LogFormat } from "../log.ts";
import type { Engine } from "../runtime/detect.ts";
import { parseAdminAddress } from "./admin-address.ts";
import { availableCpus } from "./cpus.ts";
import { LIMIT_SETTINGS, type LimitSettings } from "./limit-options.ts";
import { WEBSOCKET_SETTINGS, type WebSocketSettings } from "./websocket-options.ts";
import { HOOK_SETTINGS, type HookSettings } from "./hook-options.ts";
import { TASK_SETTINGS, type TaskSettings } from "./task-options.ts";
import { STORE_SETTINGS, type StoreSettings } from "./store-options.ts";
import { LISTENER_SETTINGS, type ListenerSettings } from "./listener-options.ts";
import { CLUSTER_SETTINGS, type ClusterSettings } from "./cluster-options.ts";
import { parseBoolean, parseChoice, parseDuration, parseInteger, parseSize, parseTimeout } from "./parse-value.ts";
import type { Setting } from "./setting-spec.ts";
import { parseListen, parseTrustList } from "./parse-edges.ts";
import { defaultStaticDir, parseStaticDir } from "./static-dir.ts";

export const ENGINES = ["bun", "deno", "node"] as const satisfies readonly Engine[];

/**
 * Every tunable lsky has, with its one default. A setting is given by flag,
 * by `LSKY_*` environment variable, or by config file key (the setting's key), with precedence
 * flag > environment > file > default. Nothing else in lsky defines a default.
 */
export interface ServeSettings extends LimitSettings, WebSocketSettings, HookSettings, TaskSettings, StoreSettings, ListenerSettings, ClusterSettings {
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
  /** The token the dashboard's actions require; "" makes a random one at start. */
  adminToken: string;
  logFormat: LogFormat;
  /** Bytes of output the supervisor queues for each of stdout and stderr before it drops lines. */
  logBuffer: number;
  /** Bytes of bus messages the supervisor queues for one worker before it drops them. */
  busQueueLimit: number;
  /** Absolute path of the static directory, or "" for none. */
  static: string;
  staticCache: CacheRules;
  staticMemory: number;
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


export type SettingKey = keyof ServeSettings;

/** One row of the settings table (the shape lives in setting-spec.ts, a leaf). */
export type SettingSpec<K extends SettingKey = SettingKey> = Setting<K, ServeSettings[K]>;
export { type DefaultContext, SETTING_GROUPS, type SettingGroup } from "./setting-spec.ts";

function parsePatternList(text: string): string[] {
  return text.split(",").map((p) => p.trim()).filter(Boolean);
}

function spec<K extends SettingKey>(s: SettingSpec<K>): SettingSpec<K> {
  return s;
}

export const SETTINGS = [
  spec({
    key: "host", group: "listening", flag: "host", env: ["LSKY_HOST"], valueName: "ADDR",
    description: "Address to listen on",
    parse: (t) => {
      if (!t.trim()) throw new RangeError("expected an address such as 0.0.0.0, 127.0.0.1 or ::");
      return t.trim();
    },
    defaultValue: () => "0.0.0.0",
  }),
  spec({
    key: "port", group: "listening", short: "p", flag: "port", env: ["LSKY_PORT", "PORT"], valueName: "N",
    description: "Port to listen on (0 picks a free one)",
    parse: (t) => parseInteger(t, 0, 65535),
    defaultValue: () => 8000,
  }),
  spec({
    key: "runtime", group: "workers", flag: "runtime", env: ["LSKY_RUNTIME"], valueName: "ENGINE",
    description: "Engine that runs the app: bun, deno or node (default: the one lsky runs on)",
    parse: (t) => parseChoice(t, ENGINES),
    defaultText: "the engine lsky runs on",
    defaultValue: (c) => c.currentEngine,
  }),
  spec({
    key: "workers", group: "workers", short: "w", flag: "workers", env: ["LSKY_WORKERS"], valueName: "N",
    description: "Number of HTTP workers (default: CPUs available, honouring cgroup quotas)",
    parse: (t) => parseInteger(t, 1, 1024),
    defaultText: "one per available CPU",
    defaultValue: () => availableCpus(),
  }),
  spec({
    key: "gracePeriod", group: "workers", flag: "grace-period", env: ["LSKY_GRACE_PERIOD"], valueName: "DURATION",
    description: "How long in-flight requests may run after stop or reload before the worker is killed",
    parse: parseTimeout,
    defaultValue: () => 30_000,
  }),
  spec({
    key: "drainDelay", group: "workers", flag: "drain-delay", env: ["LSKY_DRAIN_DELAY"], valueName: "DURATION",
    description: "How long a draining worker answers with Connection: close before it closes its listener",
    parse: parseTimeout,
    defaultValue: () => 300,
  }),
  spec({
    key: "bootTimeout", group: "workers", flag: "boot-timeout", env: ["LSKY_BOOT_TIMEOUT"], valueName: "DURATION",
    description: "How long a worker may take to load the app and listen",
    parse: parseTimeout,
    defaultValue: () => 30_000,
  }),
  spec({
    key: "maxRequests", group: "workers", flag: "max-requests", env: ["LSKY_MAX_REQUESTS"], valueName: "N",
    description: "Recycle a worker after it served N requests (0: off)",
    parse: (t) => parseInteger(t, 0, Number.MAX_SAFE_INTEGER),
    defaultValue: () => 0,
  }),
  spec({
    key: "maxMemory", group: "workers", flag: "max-memory", env: ["LSKY_MAX_MEMORY"], valueName: "MB",
    description: "Recycle a worker whose resident memory exceeds MB megabytes (0: off)",
    parse: (t) => parseInteger(t, 0, 1_048_576),
    defaultValue: () => 0,
  }),
  spec({
    key: "ttl", group: "workers", flag: "ttl", env: ["LSKY_TTL"], valueName: "DURATION",
    description: "Recycle a worker after it has lived this long (0: off)",
    parse: parseTimeout,
    defaultValue: () => 0,
  }),
  spec({
    key: "heartbeatTimeout", group: "workers", flag: "heartbeat-timeout", env: ["LSKY_HEARTBEAT_TIMEOUT"], valueName: "DURATION",
    description: "Kill and replace a worker whose event loop is stuck this long (a slow or still-busy worker gets longer; 0: never)",
    parse: parseTimeout,
    // Measured: on a 2-core host flooded with 8,000 connections, a Bun worker
    // reported a 12 s turn of its loop and a Node worker went 5 s without a
    // heartbeat, both healthy. A slow worker gets its recent lag on top, and
    // one still doing I/O up to three timeouts (supervisor/heartbeat-judge.ts).
    defaultValue: () => 10_000,
  }),
  spec({
    key: "watch", group: "development", flag: "watch", env: ["LSKY_WATCH"], boolean: true,
    description: "Reload the workers when the app's sources or config files change (see docs/OPERATIONS.md)",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "watchIgnore", group: "development", flag: "watch-ignore", env: ["LSKY_WATCH_IGNORE"], valueName: "PATTERNS",
    description: "Comma-separated gitignore-style patterns --watch skips, besides .gitignore, node_modules, .git and dist",
    parse: parsePatternList,
    // Tool output that holds .js/.json files but is not the app's code.
    defaultValue: () => ["coverage/", ".cache/"],
  }),
  spec({
    key: "pidFile", group: "observability", flag: "pid-file", env: ["LSKY_PID_FILE"], valueName: "PATH",
    description: "Write the supervisor's process id to PATH (removed on exit)",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "dev", group: "development", flag: "dev", env: ["LSKY_DEV"], boolean: true,
    description: "Development mode: error pages show the message and stack",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "admin", group: "observability", flag: "admin", env: ["LSKY_ADMIN"], valueName: "HOST:PORT",
    description: "Admin listener for the dashboard, /metrics (Prometheus), /healthz and /readyz; off unless set",
    parse: (t) => {
      if (t.trim() === "") return "";
      const { host, port } = parseAdminAddress(t);
      return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    },
    defaultValue: () => "",
  }),
  spec({
    key: "adminToken", group: "observability", flag: "admin-token", env: ["LSKY_ADMIN_TOKEN"], valueName: "TOKEN", secret: true,
    description: "Token the dashboard's actions (reload, stop a worker) require; a random one is printed at start unless set",
    parse: (t) => {
      const token = t.trim();
      if (token !== "" && token.length < 16) throw new RangeError("expected at least 16 characters");
      return token;
    },
    defaultValue: () => "",
  }),
  spec({
    key: "logFormat", group: "observability", flag: "log-format", env: ["LSKY_LOG_FORMAT"], valueName: "FORMAT",
    description: "Format of every line lsky prints (its own and the workers' output): text or json",
    parse: (t) => parseChoice(t, LOG_FORMATS),
    defaultValue: () => "text" as LogFormat,
  }),
  spec({
    key: "logBuffer", group: "observability", flag: "log-buffer", env: ["LSKY_LOG_BUFFER"], valueName: "SIZE",
    description: "Output the supervisor holds for a slow stdout or stderr; past it lines are dropped and counted",
    parse: (t) => parseSize(t, 1024 ** 3),
    defaultValue: () => 4 * 1024 * 1024,
  }),
  spec({
    key: "busQueueLimit", group: "workers", flag: "bus-queue-limit", env: ["LSKY_BUS_QUEUE_LIMIT"], valueName: "SIZE",
    description: "Bus messages the supervisor holds for one slow worker; past it they are dropped and counted",
    parse: (t) => parseSize(t, 1024 ** 3),
    defaultValue: () => 8 * 1024 * 1024,
  }),
  spec({
    key: "static", group: "static", flag: "static", env: ["LSKY_STATIC"], valueName: "DIR",
    description: 'Serve files from DIR before the app ("off" or "": none; default: ./public when it exists)',
    parse: parseStaticDir,
    defaultText: "./public when it exists",
    defaultValue: defaultStaticDir,
  }),
  spec({
    key: "staticCache", group: "static", flag: "static-cache", env: ["LSKY_STATIC_CACHE"], valueName: "RULES",
    description: 'Cache-Control for static files by pattern: "*.js,*.css=public, max-age=31536000, immutable; *.html=no-cache"',
    parse: parseCacheRules,
    fromFile: cacheRulesFromObject,
    defaultValue: () => [],
  }),
  spec({
    key: "staticMemory", group: "static", flag: "static-memory", env: ["LSKY_STATIC_MEMORY"], valueName: "BYTES",
    description: "Memory each worker keeps small static files (up to 64 KiB) and their --compress forms in (0: none)",
    parse: (t) => parseSize(t, 1024 ** 3),
    defaultValue: () => 16 * 1024 * 1024,
  }),
  spec({
    key: "compress", group: "static", flag: "compress", env: ["LSKY_COMPRESS"], boolean: true,
    description: "Compress responses (br, zstd where the engine has it, gzip) for clients that accept it",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "compressThreshold", group: "static", flag: "compress-threshold", env: ["LSKY_COMPRESS_THRESHOLD"], valueName: "BYTES",
    description: "Smallest response body that --compress compresses",
    parse: (t) => parseInteger(t, 0, 1_073_741_824),
    defaultValue: () => 1024,
  }),
  spec({
    key: "trustProxy", group: "tls", flag: "trust-proxy", env: ["LSKY_TRUST_PROXY"], valueName: "LIST",
    description: "Believe X-Forwarded-*/Forwarded from these peers: IPs, CIDRs, loopback, private, unix, all",
    parse: parseTrustList,
    defaultValue: () => [],
  }),
  spec({
    key: "https", group: "tls", flag: "https", env: ["LSKY_HTTPS"], boolean: true,
    description: "The app sees https:// URLs (TLS ends at a proxy in front), as OCTANE_HTTPS does",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  spec({
    key: "tlsCert", group: "tls", flag: "tls-cert", env: ["LSKY_TLS_CERT"], valueName: "FILE",
    description: "PEM certificate (chain) file: serve HTTPS (needs --tls-key)",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "tlsKey", group: "tls", flag: "tls-key", env: ["LSKY_TLS_KEY"], valueName: "FILE",
    description: "PEM private key file for --tls-cert",
    parse: (t) => t,
    defaultValue: () => "",
  }),
  spec({
    key: "httpRedirect", group: "tls", flag: "http-redirect", env: ["LSKY_HTTP_REDIRECT"], valueName: "PORT",
    description: "Also listen for plain HTTP on PORT and redirect it to HTTPS with 308 (0: off)",
    parse: (t) => parseInteger(t, 0, 65535),
    defaultValue: () => 0,
  }),
  spec({
    key: "listen", group: "listening", flag: "listen", env: ["LSKY_LISTEN"], valueName: "unix:PATH",
    description: "Listen on a Unix socket instead of --host/--port (several workers: see docs/DEPLOYMENT.md)",
    parse: parseListen,
    defaultValue: () => "",
  }),
  spec({
    key: "accessLog", group: "observability", flag: "access-log", env: ["LSKY_ACCESS_LOG"], boolean: true,
    description: "Print one line per request: time, client, method, path, status, bytes, duration",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  ...LIMIT_SETTINGS,
  ...WEBSOCKET_SETTINGS,
  ...HOOK_SETTINGS,
  ...TASK_SETTINGS,
  ...CLUSTER_SETTINGS,
  ...STORE_SETTINGS,
  ...LISTENER_SETTINGS,
] as const;
