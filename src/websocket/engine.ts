/**
 * The contract between lsky's WebSocket layer and an engine adapter. The
 * adapter owns the frames (Bun.serve, Deno.upgradeWebSocket, the `ws`
 * package); the host (src/websocket/host.ts) owns ids, topics, policy and
 * the app's events.
 */
import type { WebSocketSettings } from "../config/websocket-options.ts";
import type { Frame } from "./payload.ts";

/** One connection as the engine holds it. */
export interface EngineSocket {
  send(frame: Frame): void;
  close(code: number, reason: string): void;
  /** Bytes accepted by send() but not yet written to the network. */
  bufferedAmount(): number;
  /**
   * Present when the engine does not keep idle time itself (the `ws`
   * package): the host pings silent connections through it.
   */
  ping?(): void;
  /** Drops the connection without a close handshake (a dead peer). */
  terminate(): void;
  /**
   * Present when the engine fans a topic out itself (Bun's pub/sub): the
   * host mirrors the connection's topics into the engine and publishes
   * through it, instead of a loop over the subscribers.
   */
  subscribe?(topic: string): void;
  unsubscribe?(topic: string): void;
  /** To every engine subscriber of `topic` but this connection. */
  publish?(topic: string, frame: Frame): void;
}

/** The engine's own fan-out to every subscriber of a topic in this worker (Bun's `server.publish`). */
export type EnginePublish = (topic: string, frame: Frame) => void;

/** What the adapter reports about one connection. */
export interface SocketSink {
  message(data: string | ArrayBuffer): void;
  /** Any sign of life: a pong, a ping from the client. */
  alive(): void;
  closed(code: number, reason: string): void;
  error(error: unknown): void;
}

/**
 * Made per request that asks for an upgrade and handed to the app through
 * its context; `ctx.upgrade` fills it. The adapter upgrades once the app's
 * answer came back with the slot accepted, and answers with the app's own
 * response otherwise.
 */
export interface UpgradeSlot {
  accepted: boolean;
  readonly url: string;
}

export interface SocketHost {
  readonly policy: WebSocketSettings;
  /** A slot for a request that asks for a WebSocket. */
  slot(url: string): UpgradeSlot;
  /** The engine completed the handshake for an accepted slot. */
  open(slot: UpgradeSlot, socket: EngineSocket): SocketSink;
  /** The engine could not complete the handshake for an accepted slot. */
  abandon(slot: UpgradeSlot): void;
  /** The adapter offers its engine's fan-out; sockets then come with subscribe/publish. */
  fanOutWith?(publish: EnginePublish): void;
}

/** True when a request asks to become a WebSocket (any case, a list allowed). */
export function asksForWebSocket(upgrade: string | null | undefined): boolean {
  return upgrade !== null && upgrade !== undefined && /(^|,)\s*websocket\s*($|,)/i.test(upgrade);
}
