import type { LskyWebSocket, SocketData } from "./app-api.ts";
import type { EngineSocket } from "./engine.ts";
import { type Frame, toFrame } from "./payload.ts";

/** What a connection needs of the worker's registry. */
export interface SocketOwner {
  readonly sendBufferCap: number;
  subscribe(socket: LocalSocket, topic: string): void;
  unsubscribe(socket: LocalSocket, topic: string): void;
  publish(topic: string, frame: Frame, except: LocalSocket | undefined): void;
  /** A send found the client's buffer past the cap. */
  overflowed(socket: LocalSocket): void;
  sent(): void;
}

/** One open connection on this worker: the `ws` the app's events receive. */
export class LocalSocket implements LskyWebSocket {
  readonly id: string;
  readonly url: string;
  readyState: 0 | 1 | 2 | 3 = 1;
  data: Record<string, unknown> = {};
  readonly topics = new Set<string>();
  /** For the idle sweep (engines without their own pings). */
  lastSeen = Date.now();
  awaitingPong = false;
  readonly #engine: EngineSocket;
  readonly #owner: SocketOwner;

  constructor(id: string, url: string, engine: EngineSocket, owner: SocketOwner) {
    this.id = id;
    this.url = url;
    this.#engine = engine;
    this.#owner = owner;
  }

  get engine(): EngineSocket {
    return this.#engine;
  }

  send(data: SocketData): void {
    this.deliver(toFrame(data));
  }

  /** Sends one frame; false when the connection is not open (or was just closed for a full buffer). */
  deliver(frame: Frame): boolean {
    if (this.readyState !== 1) return false;
    // A client that does not read must not make the worker hold unbounded
    // memory: past the cap it is closed (1013, try again later) and counted.
    if (this.#engine.bufferedAmount() > this.#owner.sendBufferCap) {
      this.#owner.overflowed(this);
      this.close(1013, "send buffer full");
      return false;
    }
    this.#engine.send(frame);
    this.#owner.sent();
    return true;
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    this.#engine.close(code, reason);
  }

  subscribe(topic: string): void {
    this.#owner.subscribe(this, checkTopic(topic));
  }

  unsubscribe(topic: string): void {
    this.#owner.unsubscribe(this, topic);
  }

  isSubscribed(topic: string): boolean {
    return this.topics.has(topic);
  }

  publish(topic: string, data: SocketData): void {
    this.#owner.publish(checkTopic(topic), toFrame(data), this);
  }
}

function checkTopic(topic: string): string {
  if (typeof topic !== "string" || topic.length === 0) throw new TypeError(`A WebSocket topic must be a non-empty string, got ${JSON.stringify(topic)}`);
  return topic;
}
