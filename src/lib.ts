/**
 * What the executable made by `lsky compile` links against: lsky's CLI and the
 * hook that registers the app built into it.
 */
export { main } from "./cli/run.ts";
export { setEmbeddedApp } from "./app/embedded.ts";
export { defineConfig, type LskyConfig } from "./config/define-config.ts";
export { upgradeWebSocket, sockets } from "./websocket/facade.ts";
export { requestContext } from "./app/request-context-facade.ts";
export type {
  LskyWebSocket, SocketCloseEvent, SocketData, SocketEvent, SocketMessageEvent, Sockets, WebSocketEvents,
} from "./websocket/app-api.ts";
export type { LskyContext } from "./runtime/types.ts";
export { LskyError } from "./errors.ts";
