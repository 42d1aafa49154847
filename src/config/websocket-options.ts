import { parseBoolean, parseDuration, parseInteger, parseSize } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/**
 * The WebSocket policy, one on every engine (docs/WEBSOCKET.md). The engines
 * disagree on their own: Bun takes 16 MiB messages and 120 s idle, Deno
 * 128 MiB (fixed) and 30 s, the `ws` package 100 MiB and no ping at all.
 */
export interface WebSocketSettings {
  /** Largest message a client may send; the connection closes with 1009 above it. */
  wsMaxMessage: number;
  /** A connection silent this long is pinged; one that does not answer is closed. */
  wsIdleTimeout: number;
  /** Bytes queued for one slow client before lsky closes it with 1013. */
  wsSendBuffer: number;
  /** Open WebSockets per worker; further upgrades get 503. */
  wsMaxConnections: number;
  /** How long a draining worker keeps its WebSockets open before closing them. */
  wsDrainPeriod: number;
  /** Offer permessage-deflate (RFC 7692) to clients that ask for it. */
  wsDeflate: boolean;
}

const setting = settingFor<WebSocketSettings>();

function duration(minMs: number) {
  return (text: string): number => {
    const ms = parseDuration(text);
    if (ms < minMs || ms > 3_600_000) throw new RangeError(`expected a duration from ${minMs}ms to 1h`);
    return ms;
  };
}

export const WEBSOCKET_SETTINGS = [
  setting({
    key: "wsMaxMessage", group: "websocket", flag: "ws-max-message", env: ["LSKY_WS_MAX_MESSAGE"], valueName: "SIZE",
    description: "Largest WebSocket message a client may send (closed with 1009 above it)",
    parse: (t) => parseSize(t, 128 * 1024 ** 2),
    // 1 MiB: chat and JSON updates fit many times over, and a thousand
    // clients cannot make a worker buffer more than a gigabyte at once.
    defaultValue: () => 1024 * 1024,
  }),
  setting({
    key: "wsIdleTimeout", group: "websocket", flag: "ws-idle-timeout", env: ["LSKY_WS_IDLE_TIMEOUT"], valueName: "DURATION",
    description: "Ping a WebSocket silent this long; close it when the ping goes unanswered",
    // Bun counts its idle timeout in whole seconds, at most 960.
    parse: (t) => Math.min(960_000, duration(1000)(t)),
    defaultValue: () => 60_000,
  }),
  setting({
    key: "wsSendBuffer", group: "websocket", flag: "ws-send-buffer", env: ["LSKY_WS_SEND_BUFFER"], valueName: "SIZE",
    description: "Bytes queued for one slow WebSocket client before lsky closes it with 1013",
    parse: (t) => parseSize(t, 1024 ** 3),
    defaultValue: () => 4 * 1024 * 1024,
  }),
  setting({
    key: "wsMaxConnections", group: "websocket", flag: "ws-max-connections", env: ["LSKY_WS_MAX_CONNECTIONS"], valueName: "N",
    description: "Open WebSockets per worker; further upgrades are answered with 503",
    parse: (t) => parseInteger(t, 1, 1_000_000),
    defaultValue: () => 10_000,
  }),
  setting({
    key: "wsDrainPeriod", group: "websocket", flag: "ws-drain-period", env: ["LSKY_WS_DRAIN_PERIOD"], valueName: "DURATION",
    description: "How long a draining worker keeps WebSockets open before closing them (1012 on reload, 1001 on stop)",
    parse: duration(0),
    defaultValue: () => 2_000,
  }),
  setting({
    key: "wsDeflate", group: "websocket", flag: "ws-deflate", env: ["LSKY_WS_DEFLATE"], boolean: true,
    description: "Compress WebSocket messages (permessage-deflate) for clients that ask for it; on Deno only with --deno-server node",
    parse: parseBoolean,
    // Off: it costs CPU and memory per connection (a zlib context each way).
    defaultValue: () => false,
  }),
] as const;
