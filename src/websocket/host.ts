import { socketIdPrefix } from "../cluster/socket-id.ts";
import type { WebSocketSettings } from "../config/websocket-options.ts";
import type { LskyWebSocket, SocketCloseEvent, WebSocketEvents } from "./app-api.ts";
import type { EnginePublish, EngineSocket, SocketHost, SocketSink, UpgradeSlot } from "./engine.ts";
import { LagWatch } from "./lag-watch.ts";
import { LocalSocket, type SocketOwner } from "./local-socket.ts";
import { byteLength, type Frame } from "./payload.ts";
import { refuseUpgrade } from "./refusals.ts";
import { emptySocketStats, type SocketStats } from "./stats.ts";

class Slot implements UpgradeSlot {
  accepted = false;
  events: WebSocketEvents = {};
  constructor(readonly url: string) {}
}

export interface SocketHubOptions {
  /** This worker's slot number: the first part of every id, which routes sends. */
  workerId: number;
  /** Tells this worker's life from an earlier one in the same slot. */
  incarnation: string;
  /** This server's node name when it is in a cluster: ids then say which node owns them. */
  node?: string;
  policy: WebSocketSettings;
  log(line: string): void;
}

/**
 * The WebSockets of one worker: it accepts upgrades (within the policy),
 * gives each connection its pool-wide id, keeps topics, runs the app's
 * events, pings silent connections the engine does not watch, and closes
 * everything with the right code when the worker drains.
 */
export class SocketHub implements SocketHost, SocketOwner {
  readonly policy: WebSocketSettings;
  /** What every id this worker hands out starts with: its node in a cluster, its slot, its incarnation. */
  readonly idPrefix: string;
  readonly stats: SocketStats = emptySocketStats();
  readonly local = new Map<string, LocalSocket>();
  readonly #topics = new Map<string, Set<LocalSocket>>();
  readonly #options: SocketHubOptions;
  #pending = 0;
  #nextId = 1;
  #draining = false;
  #sweep: ReturnType<typeof setInterval> | undefined;
  #enginePublish: EnginePublish | undefined;
  #lagWatch: LagWatch<LocalSocket> | undefined;
  /** Set by the pool layer: carries a publish to the other workers. */
  forward: (topic: string, frame: Frame, exceptId: string | undefined) => void = () => {};

  constructor(options: SocketHubOptions) {
    this.#options = options;
    this.policy = options.policy;
    this.idPrefix = socketIdPrefix(options.workerId, options.incarnation, options.node);
  }

  get sendBufferCap(): number {
    return this.policy.wsSendBuffer;
  }


  /** The node this worker belongs to, in a cluster. */
  get node(): string | undefined {
    return this.#options.node;
  }

  slot(url: string): UpgradeSlot {
    return new Slot(url);
  }

  /** `ctx.upgrade`: accepts the slot, or returns the refusal the client gets. */
  accept(slot: UpgradeSlot | undefined, events: WebSocketEvents): Response {
    if (!(slot instanceof Slot)) return refuseUpgrade(426, "This request does not ask for a WebSocket");
    if (this.#draining) return refuseUpgrade(503, "This worker is shutting down; connect again");
    if (this.local.size + this.#pending >= this.policy.wsMaxConnections) {
      this.stats.refused++;
      return refuseUpgrade(503, "Too many WebSocket connections on this worker");
    }
    if (!slot.accepted) this.#pending++;
    slot.accepted = true;
    slot.events = events ?? {};
    // Never sent: the adapter upgrades instead. A 200 so that stages that
    // look at the answer (access log, metrics) see a success.
    return new Response(null, { status: 200 });
  }

  fanOutWith(publish: EnginePublish): void {
    this.#enginePublish = publish;
    // Half the cap: the engine drops a subscriber past the cap plus one largest message.
    this.#lagWatch = new LagWatch(this.policy.wsSendBuffer / 2, (topic) => this.#topics.get(topic));
  }

  abandon(slot: UpgradeSlot): void {
    if (slot.accepted) this.#pending--;
    slot.accepted = false;
  }

  open(slot: UpgradeSlot, engine: EngineSocket): SocketSink {
    const { events } = slot as Slot;
    this.#pending--;
    const socket = new LocalSocket(`${this.idPrefix}${this.#nextId++}`, slot.url, engine, this);
    this.local.set(socket.id, socket);
    this.stats.opened++;
    if (engine.ping) this.#startSweep();
    if (this.#draining) queueMicrotask(() => socket.close(this.#drainCode, "server is restarting"));
    this.#run(events.onOpen, { type: "open" }, socket, events);
    return {
      message: (data) => {
        socket.lastSeen = Date.now();
        socket.awaitingPong = false;
        if (byteLength(data) > this.policy.wsMaxMessage) return socket.close(1009, "message too big");
        this.stats.messagesIn++;
        this.#run(events.onMessage, { type: "message", data }, socket, events);
      },
      alive: () => {
        socket.lastSeen = Date.now();
        socket.awaitingPong = false;
      },
      closed: (code, reason) => this.#closed(socket, events, code, reason),
      error: (error) => this.#run(events.onError, { type: "error", error }, socket, events),
    };
  }

  #closed(socket: LocalSocket, events: WebSocketEvents, code: number, reason: string): void {
    if (socket.readyState === 3) return;
    socket.readyState = 3;
    this.local.delete(socket.id);
    // The engine forgot the closed socket's topics itself.
    for (const topic of socket.topics) this.#forget(socket, topic);
    this.stats.closesByCode[code] = (this.stats.closesByCode[code] ?? 0) + 1;
    if (this.#lagWatch?.closed(socket) && code === 1006) this.stats.overflows++;
    const event: SocketCloseEvent = { type: "close", code, reason, wasClean: code !== 1006 };
    this.#run(events.onClose, event, socket, events);
    if (this.local.size === 0) this.#idle?.();
  }

  #run<E>(handler: ((event: E, ws: LskyWebSocket) => unknown) | undefined, event: E, socket: LocalSocket, events: WebSocketEvents): void {
    if (!handler) return;
    const report = (error: unknown) => {
      this.#options.log(`WebSocket ${(event as { type: string }).type} handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (handler !== events.onError && events.onError) this.#run(events.onError, { type: "error", error }, socket, events);
    };
    try {
      const result = handler.call(events, event, socket);
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }

  subscribe(socket: LocalSocket, topic: string): void {
    socket.topics.add(topic);
    const set = this.#topics.get(topic) ?? new Set<LocalSocket>();
    this.#topics.set(topic, set);
    set.add(socket);
    socket.engine.subscribe?.(topic);
  }

  unsubscribe(socket: LocalSocket, topic: string): void {
    if (socket.readyState !== 3) socket.engine.unsubscribe?.(topic);
    this.#forget(socket, topic);
  }

  #forget(socket: LocalSocket, topic: string): void {
    socket.topics.delete(topic);
    const set = this.#topics.get(topic);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) this.#topics.delete(topic);
  }

  /** `ws.publish` and `sockets.publish`: here at once, then one bus message for the other workers. */
  publish(topic: string, frame: Frame, except: LocalSocket | undefined): void {
    this.publishLocal(topic, frame, except?.id);
    this.forward(topic, frame, except?.id);
  }

  publishLocal(topic: string, frame: Frame, exceptId: string | undefined): void {
    const subscribers = this.#topics.get(topic);
    if (!subscribers) return;
    if (this.#enginePublish) return this.#publishThroughEngine(topic, frame, subscribers, exceptId);
    for (const socket of subscribers) {
      if (socket.id !== exceptId) socket.deliver(frame);
    }
  }

  /**
   * One call into the engine (Bun: C++ fans out, no JavaScript per
   * subscriber). A sender's own publish goes through its socket, which the
   * engine leaves out; the engine enforces the send buffer cap itself here
   * (bun-websocket.ts).
   */
  #publishThroughEngine(topic: string, frame: Frame, subscribers: Set<LocalSocket>, exceptId: string | undefined): void {
    const sender = exceptId === undefined ? undefined : this.local.get(exceptId);
    const excluded = sender !== undefined && subscribers.has(sender) && sender.engine.publish !== undefined;
    if (excluded) sender.engine.publish!(topic, frame);
    else this.#enginePublish!(topic, frame);
    this.stats.messagesOut += subscribers.size - (excluded ? 1 : 0);
    // Up to three bytes of UTF-8 per character: counting high looks more often, never less.
    this.#lagWatch!.published(topic, typeof frame === "string" ? frame.length * 3 : frame.byteLength);
  }

  count(topic?: string): number {
    return topic === undefined ? this.local.size : (this.#topics.get(topic)?.size ?? 0);
  }

  overflowed(): void {
    this.stats.overflows++;
  }

  sent(): void {
    this.stats.messagesOut++;
  }

  #drainCode = 1001;
  #idle: (() => void) | undefined;

  /**
   * Refuses new upgrades at once; keeps open sockets for the drain period (or
   * until the clients left), then closes them: 1012 (service restart) when a
   * replacement takes over, 1001 (going away) on stop.
   */
  async drain(restart: boolean, period = this.policy.wsDrainPeriod): Promise<void> {
    this.#draining = true;
    this.#drainCode = restart ? 1012 : 1001;
    if (this.local.size > 0 && period > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, period);
        this.#idle = () => (clearTimeout(timer), resolve());
      });
    }
    const reason = restart ? "server is restarting" : "server is going away";
    for (const socket of this.local.values()) socket.close(this.#drainCode, reason);
    await this.#untilAllClosed(1000);
  }

  /** The close handshake takes a round trip; a peer that never answers is dropped. */
  async #untilAllClosed(ms: number): Promise<void> {
    if (this.local.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#idle = () => (clearTimeout(timer), resolve());
    });
    for (const socket of this.local.values()) socket.engine.terminate();
    clearInterval(this.#sweep);
  }

  /** Pings connections silent for half the idle timeout; drops those that did not answer the last ping. */
  #startSweep(): void {
    if (this.#sweep) return;
    const every = Math.max(500, this.policy.wsIdleTimeout / 2);
    this.#sweep = setInterval(() => {
      const quietSince = Date.now() - every;
      for (const socket of this.local.values()) {
        if (!socket.engine.ping) continue;
        if (socket.awaitingPong) socket.engine.terminate();
        else if (socket.lastSeen <= quietSince) {
          socket.awaitingPong = true;
          socket.engine.ping();
        }
      }
    }, every);
    this.#sweep.unref?.();
  }
}
