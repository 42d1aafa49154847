/**
 * WebSockets as an app sees them: `ctx.upgrade(request, events)` in a plain
 * fetch app, `upgradeWebSocket((c) => events)` from "lsky" in a Hono app, and
 * `sockets` for the whole pool. Full description: docs/WEBSOCKET.md.
 */

/** What `send` and `publish` take; an ArrayBufferView is sent as binary. */
export type SocketData = string | ArrayBuffer | ArrayBufferView;

export interface SocketMessageEvent {
  type: "message";
  /** A text message is a string, a binary one an ArrayBuffer. */
  data: string | ArrayBuffer;
}

export interface SocketCloseEvent {
  type: "close";
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface SocketEvent {
  type: "open" | "error";
  error?: unknown;
}

/** One connection, as the app's event handlers receive it. */
export interface LskyWebSocket<Data = Record<string, unknown>> {
  /** Unique in the pool over the server's whole life; names the owning worker. */
  readonly id: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed (as in the browser's WebSocket). */
  readonly readyState: 0 | 1 | 2 | 3;
  /** A per-connection object the app may fill. */
  data: Data;
  /** The URL the client asked for. */
  readonly url: string;
  send(data: SocketData): void;
  close(code?: number, reason?: string): void;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  isSubscribed(topic: string): boolean;
  /** To every subscriber of `topic` on every worker, except this connection. */
  publish(topic: string, data: SocketData): void;
}

/** Hono's shape: what `upgradeWebSocket`'s callback and `ctx.upgrade` take. */
export interface WebSocketEvents<Data = Record<string, unknown>> {
  onOpen?(event: SocketEvent, ws: LskyWebSocket<Data>): void | Promise<void>;
  onMessage?(event: SocketMessageEvent, ws: LskyWebSocket<Data>): void | Promise<void>;
  onClose?(event: SocketCloseEvent, ws: LskyWebSocket<Data>): void | Promise<void>;
  onError?(event: SocketEvent, ws: LskyWebSocket<Data>): void | Promise<void>;
}

/** Every connection in the pool, wherever it lives. */
export interface Sockets {
  /**
   * Delivers to the connection `id` on whichever worker owns it; resolves
   * once that worker handed it to the connection. Rejects with an LskyError
   * of code WS_GONE when the connection is closed or unknown.
   */
  send(id: string, data: SocketData): Promise<void>;
  /** To every subscriber of `topic` on every worker. */
  publish(topic: string, data: SocketData): void;
  /** Closes the connection `id`; resolves false when it was already gone. */
  close(id: string, code?: number, reason?: string): Promise<boolean>;
  /** Open connections in the pool, or those subscribed to `topic`. */
  count(topic?: string): Promise<number>;
}
