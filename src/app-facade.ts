/**
 * The values an app (or its lsky.config.ts) imports from "lsky", and nothing
 * else: no CLI, no server. Built alone into dist/lsky-app.mjs, which lsky
 * serves as "lsky" to an app whose folder has no lsky installed
 * (src/runtime/lsky-import.ts). Every name here is a facade over what the
 * worker installed on `globalThis.lsky` before it imported the app, so any
 * number of copies share the running server's state.
 */
export { defineConfig } from "./config/define-config.ts";
export { sockets, upgradeWebSocket } from "./websocket/facade.ts";
export { requestContext } from "./app/request-context-facade.ts";
export { LskyError } from "./errors.ts";
