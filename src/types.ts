/**
 * What the "lsky" package declares to apps (package.json "exports" →
 * dist/types/types.d.ts, emitted by build/build.mjs): the app API's types,
 * and the values dist/lsky-lib.mjs exports (src/lib.ts), so that an app's
 * `import { upgradeWebSocket, sockets } from "lsky"` type-checks.
 *
 * @example
 * import { Hono } from "hono";
 * import type { Env } from "lsky";
 *
 * const app = new Hono<{ Bindings: Env }>();
 * app.get("/ip", (c) => c.text(c.env.remoteAddr.hostname));
 * export default app;
 */
import type { LskyContext } from "./runtime/types.ts";

/** The second argument of `fetch(request, env)`; `c.env` in a Hono app. */
export type Env = LskyContext;
export type { LskyContext, RemoteAddr } from "./runtime/types.ts";
export type { BusHandler, BusMessageInfo, BusSubscriber, LskyBus, LskyGlobal, RequestOptions } from "./bus/app-api.ts";
export type { FetchApp } from "./app/contract.ts";
export type { AppMetricsRegistry } from "./metrics/app-metrics.ts";
export { defineConfig, type LskyConfig } from "./config/define-config.ts";
export { sockets, upgradeWebSocket } from "./websocket/facade.ts";
export { requestContext } from "./app/request-context-facade.ts";
export { cache, table } from "./store/facade.ts";
export type { Cache, CacheSetOptions, Table, TableRow } from "./store/app-api.ts";
export type { CurrentRequest } from "./app/current-request.ts";
export type { WorkerContext, WorkerHooks, WorkerKind } from "./worker/hooks.ts";
export type {
  LskyWebSocket, SocketCloseEvent, SocketData, SocketEvent, SocketMessageEvent, Sockets, WebSocketEvents,
} from "./websocket/app-api.ts";
export type { ScheduleContext, ScheduledJob } from "./scheduler/app-api.ts";
export { tasks } from "./tasks/facade.ts";
export type { TaskContext, TaskHandler, TaskOptions, Tasks } from "./tasks/app-api.ts";
export type { CustomProcess, ProcessContext } from "./worker/process-context.ts";
export type { ProcessConfig } from "./config/process-config.ts";
export { LskyError } from "./errors.ts";
