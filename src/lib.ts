/**
 * What the executable made by `lsky compile` links against: lsky's CLI and the
 * hook that registers the app built into it, with the app-facing names (an
 * app compiled in imports "lsky" from here).
 */
export { main } from "./cli/run.ts";
export { setEmbeddedApp } from "./app/embedded.ts";
export * from "./app-facade.ts";
export type { LskyConfig } from "./config/define-config.ts";
export type {
  LskyWebSocket, SocketCloseEvent, SocketData, SocketEvent, SocketMessageEvent, Sockets, WebSocketEvents,
} from "./websocket/app-api.ts";
export type { LskyContext } from "./runtime/types.ts";
export type { Cache, CacheSetOptions, Table, TableRow } from "./store/app-api.ts";
