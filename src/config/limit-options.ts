import { parseChoice, parseInteger, parseSize, parseTimeout } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/**
 * The limits every request meets, the same on every engine. They are
 * part of `ServeSettings`; kept in their own table so the main one stays short.
 */
export interface LimitSettings {
  /** Bytes of header fields (names, values, separators), request line excluded. */
  maxHeaderSize: number;
  maxHeaderCount: number;
  /** Bytes of the request target (path and query). */
  maxUrlLength: number;
  maxBodySize: number;
  /** Time to receive the whole header section. */
  headerTimeout: number;
  /** Longest pause between two reads of a request body (0: none). */
  bodyTimeout: number;
  /** Slowest average a request body may arrive at after the grace period, bytes a second (0: none). */
  minBodyRate: number;
  /** Time a body may take before the minimum rate applies. */
  bodyRateGrace: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** Longest time the app's handler may take to answer (0: none). */
  requestTimeout: number;
  /** How a Deno worker serves HTTP (see ServeOptions.denoServer). */
  denoServer: "node" | "native";
}

const limit = settingFor<LimitSettings>();

export const LIMIT_SETTINGS = [
  limit({
    key: "maxHeaderSize", group: "limits", flag: "max-header-size", env: ["LSKY_MAX_HEADER_SIZE"], valueName: "SIZE",
    description: "Largest header section a request may send (431 above it)",
    parse: (t) => parseSize(t, 1024 ** 2),
    defaultValue: () => 16 * 1024,
  }),
  limit({
    key: "maxHeaderCount", group: "limits", flag: "max-header-count", env: ["LSKY_MAX_HEADER_COUNT"], valueName: "N",
    description: "Most header fields a request may send (431 above it)",
    parse: (t) => parseInteger(t, 1, 10_000),
    defaultValue: () => 100,
  }),
  limit({
    key: "maxUrlLength", group: "limits", flag: "max-url-length", env: ["LSKY_MAX_URL_LENGTH"], valueName: "SIZE",
    description: "Longest request target, path and query (414 above it)",
    parse: (t) => parseSize(t, 1024 ** 2),
    defaultValue: () => 8 * 1024,
  }),
  limit({
    key: "maxBodySize", group: "limits", flag: "max-body-size", env: ["LSKY_MAX_BODY_SIZE"], valueName: "SIZE",
    description: "Largest request body, e.g. 8mb or 1gb (413 above it)",
    parse: (t) => parseSize(t),
    // 8 MiB: room for JSON APIs and form posts carrying a few photos, while
    // apps that buffer bodies (request.json(), formData()) cannot be pushed
    // past a few hundred MB by a hundred concurrent clients. nginx's 1 MiB
    // breaks ordinary uploads; Bun's 128 MiB lets a handful exhaust memory.
    // Apps that stream big uploads raise it explicitly.
    defaultValue: () => 8 * 1024 * 1024,
  }),
  limit({
    key: "headerTimeout", group: "limits", flag: "header-timeout", env: ["LSKY_HEADER_TIMEOUT"], valueName: "DURATION",
    description: "Time a client has to send its whole header section (408 after it)",
    parse: (t) => parseTimeout(t, { allowZero: false }),
    defaultValue: () => 10_000,
  }),
  limit({
    key: "bodyTimeout", group: "limits", flag: "body-timeout", env: ["LSKY_BODY_TIMEOUT"], valueName: "DURATION",
    description: "Longest pause between two parts of a request body (408 after it; 0: none)",
    parse: parseTimeout,
    defaultValue: () => 30_000,
  }),
  limit({
    key: "minBodyRate", group: "limits", flag: "min-body-rate", env: ["LSKY_MIN_BODY_RATE"], valueName: "SIZE",
    description: "Slowest a request body may arrive, bytes a second on average after --body-rate-grace (408 below it; 0: none)",
    parse: (t) => parseSize(t, 1024 ** 3),
    // As Apache's mod_reqtimeout (body=20,MinRate=500): far below any real
    // upload (a 2G mobile link sends ~5 KB/s), far above a trickling attacker.
    defaultValue: () => 500,
  }),
  limit({
    key: "bodyRateGrace", group: "limits", flag: "body-rate-grace", env: ["LSKY_BODY_RATE_GRACE"], valueName: "DURATION",
    description: "Time a request body may take before --min-body-rate applies",
    parse: parseTimeout,
    defaultValue: () => 20_000,
  }),
  limit({
    key: "keepAliveTimeout", group: "limits", flag: "keep-alive-timeout", env: ["LSKY_KEEP_ALIVE_TIMEOUT"], valueName: "DURATION",
    description: "How long an idle keep-alive connection stays open",
    parse: (t) => parseTimeout(t, { allowZero: false }),
    defaultValue: () => 5_000,
  }),
  limit({
    key: "requestTimeout", group: "limits", flag: "request-timeout", env: ["LSKY_REQUEST_TIMEOUT"], valueName: "DURATION",
    description: "Longest time the app may take to answer (504 after it, request.signal aborts; 0: none)",
    parse: parseTimeout,
    defaultValue: () => 0,
  }),
  limit({
    key: "denoServer", group: "workers", flag: "deno-server", env: ["LSKY_DENO_SERVER"], valueName: "KIND",
    description: "On Deno, serve with native (Deno.serve: over twice as fast; no header or keep-alive timeout) or node (node:http: every limit holds)",
    parse: (t) => parseChoice(t, ["node", "native"] as const),
    defaultValue: () => "native",
  }),
] as const;
