/**
 * What `import { upgradeWebSocket, sockets } from "lsky"` gives an app. A thin
 * facade over what the worker set up before it imported the app: a copy of
 * lsky found in the app's node_modules holds no state of its own, so it never
 * splits the pool from the running server.
 */
import type { Context, Env, Input, MiddlewareHandler } from "hono";
import type { Sockets, SocketData, WebSocketEvents } from "./app-api.ts";

/**
 * Hono middleware: turns a request that asks for a WebSocket into one, with
 * the events `createEvents(c)` returns; any other request goes on to the next
 * handler. It runs where the app put it, after the app's own middleware.
 */
// deno-lint-ignore no-explicit-any
export function upgradeWebSocket<E extends Env = any, P extends string = any, I extends Input = {}>(
  createEvents: (c: Context<E, P, I>) => WebSocketEvents | Promise<WebSocketEvents>,
): MiddlewareHandler<E, P, I> {
  return async (c, next) => {
    if (!asksForWebSocket(c.req.header("upgrade"))) return next();
    const upgrade = (c.env as { upgrade?: unknown } | undefined)?.upgrade;
    if (typeof upgrade !== "function") {
      throw new Error('upgradeWebSocket from "lsky" needs the app to run under lsky (c.env is not lsky\'s context)');
    }
    const events = await createEvents(c);
    return (upgrade as (request: Request, events: WebSocketEvents) => Response)(c.req.raw, events);
  };
}

function asksForWebSocket(upgrade: string | undefined): boolean {
  return upgrade !== undefined && /(^|,)\s*websocket\s*($|,)/i.test(upgrade);
}

function current(): Sockets {
  const sockets = (globalThis as { lsky?: { sockets?: Sockets } }).lsky?.sockets;
  if (!sockets) throw new Error('sockets from "lsky" is only available inside an lsky worker');
  return sockets;
}

/** Every WebSocket in the pool (docs/WEBSOCKET.md). */
export const sockets: Sockets = {
  send: (id: string, data: SocketData) => current().send(id, data),
  publish: (topic: string, data: SocketData) => current().publish(topic, data),
  close: (id: string, code?: number, reason?: string) => current().close(id, code, reason),
  count: (topic?: string) => current().count(topic),
};

/** Makes the worker's sockets reachable by the facade (and as `globalThis.lsky.sockets`). */
export function installSocketsGlobal(value: Sockets): void {
  const target = globalThis as { lsky?: { sockets?: Sockets } };
  target.lsky ??= {};
  target.lsky.sockets = value;
}
