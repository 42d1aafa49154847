/**
 * The types the "lsky" package exports to apps (package.json "exports" →
 * dist/types/types.d.ts, emitted by build/build.mjs). Type-only: importing
 * them adds nothing to an app at run time.
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
export { defineConfig, type LskyConfig } from "./config/define-config.ts";
