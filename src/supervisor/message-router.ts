import type {
  BusAddress,
  BusErrorCode,
  BusFailure,
  BusSupervisorMessage,
  BusWorkerMessage,
  WorkerMessage,
} from "../bus/protocol.ts";
import { BUS_DEFAULT_TIMEOUT_MS } from "../bus/protocol.ts";
import { isLskyError, LskyError } from "../errors.ts";
import type { LifecycleState } from "./lifecycle.ts";

/**
 * A worker as the router sees it; `WorkerHandle` is one. `slot` is the
 * worker's bus id; `exited` settles when its process is gone.
 */
export interface BusPeer {
  readonly slot: number;
  /** One being killed (lifecycle.ts) gets nothing new, like one starting. */
  readonly state: LifecycleState;
  readonly exited: Promise<unknown>;
  /** False when the message was not queued: the worker's bus queue is full (it is not reading). */
  send(message: BusSupervisorMessage): boolean;
  /**
   * False for a process that hears broadcasts and sends but is no HTTP
   * worker (a custom process): its slot is not a worker id, so it is never
   * in `workers()` nor the target of a message addressed to an id.
   */
  readonly addressable?: boolean;
}

/** Answers a request addressed to the supervisor; may return a promise. */
export type SupervisorHandler = (data: unknown, from: number) => unknown;

export interface RouterOptions {
  /** Runs `action` after `ms` unless the returned cancel is called (tests pass a fake clock). */
  schedule?: (ms: number, action: () => void) => () => void;
}

/** Who waits for the reply to a forwarded request. */
type Requester =
  | { peer: BusPeer; id: number }
  | { settle: (data: unknown, error?: BusFailure) => void };

interface Pending {
  requester: Requester;
  target: BusPeer;
  topic: string;
  cancelTimer: () => void;
}

const realSchedule = (ms: number, action: () => void) => {
  const timer = setTimeout(action, ms);
  return () => clearTimeout(timer);
};

/**
 * The supervisor's half of the message bus: forwards publishes and requests
 * between workers, routes each reply back to the process that asked (not
 * merely its slot: during a reload two processes share one), answers
 * requests addressed to the supervisor from registered handlers, and fails
 * requests whose target is missing, exits or does not answer in time.
 *
 * Pure: it only calls `peer.send`, so tests feed it messages and fake peers.
 */
export class MessageRouter {
  private readonly peers = new Set<BusPeer>();
  private readonly handlers = new Map<string, SupervisorHandler>();
  private readonly pending = new Map<number, Pending>();
  private readonly schedule: NonNullable<RouterOptions["schedule"]>;
  private nextId = 1;
  private announced = "";
  /** Hears every publish a worker sends to all workers (the cluster carries it to the other nodes). */
  onBroadcast: ((topic: string, data: unknown) => void) | undefined;

  constructor(options: RouterOptions = {}) {
    this.schedule = options.schedule ?? realSchedule;
    // Built in: answers with what it was given (the benchmark's round trip).
    this.handle("ping", (data) => data);
  }

  /** Registers the supervisor's answer to requests on `topic`; returns an unregister function. */
  handle(topic: string, handler: SupervisorHandler): () => void {
    if (this.handlers.has(topic)) throw new Error(`A supervisor handler for "${topic}" is already registered`);
    this.handlers.set(topic, handler);
    return () => void (this.handlers.get(topic) === handler && this.handlers.delete(topic));
  }

  /**
   * Takes every message a worker sends; the bus ones are routed, "ready"
   * updates membership (so call it after the pool has marked the worker ready).
   */
  onMessage(peer: BusPeer, message: WorkerMessage): void {
    this.attach(peer);
    switch (message.type) {
      case "publish":
        return this.onPublish(peer, message);
      case "request":
        return this.onRequest(peer, message);
      case "reply":
        return this.onReply(peer, message);
      case "ready":
        return this.announceWorkers(peer);
    }
  }

  /** Sends to every ready or draining worker, as a publish from the supervisor. */
  publish(topic: string, data?: unknown): void {
    this.broadcast({ type: "deliver", topic, data, from: "supervisor" });
  }

  /** Asks a worker from the supervisor (task dispatch will use this); rejects with an LskyError. */
  request(workerId: number, topic: string, data?: unknown, timeout = BUS_DEFAULT_TIMEOUT_MS): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const settle = (result: unknown, error?: BusFailure) =>
        error ? reject(new LskyError(error.code, error.message)) : resolve(result);
      this.forward({ settle }, "supervisor", workerId, topic, data, timeout);
    });
  }

  /** The ids of the workers that are ready, ascending. */
  workerIds(): number[] {
    return this.readyIds();
  }

  private readyIds(): number[] {
    const ids = new Set<number>();
    for (const peer of this.peers) if (peer.state === "ready" && peer.addressable !== false) ids.add(peer.slot);
    return [...ids].sort((a, b) => a - b);
  }

  /** Requests addressed to workers still waiting for their reply (for status and tests). */
  pendingCount(): number {
    return this.pending.size;
  }

  private attach(peer: BusPeer): void {
    if (this.peers.has(peer) || peer.state === "exited") return;
    this.peers.add(peer);
    void peer.exited.then(() => this.detach(peer));
  }

  /** A worker's process is gone: what it was asked fails now, what it asked is forgotten. */
  private detach(peer: BusPeer): void {
    this.peers.delete(peer);
    for (const [id, pending] of this.pending) {
      if (pending.target === peer) {
        const message = `Worker ${peer.slot} exited before replying to "${pending.topic}"`;
        this.settle(id, undefined, { code: "BUS_WORKER_GONE", message });
      } else if ("peer" in pending.requester && pending.requester.peer === peer) {
        pending.cancelTimer();
        this.pending.delete(id);
      }
    }
    this.announceWorkers();
  }

  private onPublish(peer: BusPeer, message: Extract<BusWorkerMessage, { type: "publish" }>): void {
    const deliver: BusSupervisorMessage = { type: "deliver", topic: message.topic, data: message.data, from: peer.slot };
    if (message.to === "*") {
      this.onBroadcast?.(message.topic, message.data);
      return this.broadcast(deliver);
    }
    // At most once: a message for a worker that is not ready is dropped.
    this.peerFor(message.to)?.send(deliver);
  }

  private onRequest(peer: BusPeer, message: Extract<BusWorkerMessage, { type: "request" }>): void {
    const requester = { peer, id: message.id };
    if (message.to === "supervisor") return this.answerLocally(requester, message.topic, message.data);
    this.forward(requester, peer.slot, message.to, message.topic, message.data, message.timeout);
  }

  private onReply(peer: BusPeer, message: Extract<BusWorkerMessage, { type: "reply" }>): void {
    const pending = this.pending.get(message.id);
    // A reply after the timeout, or from a process the request was not sent to, is dropped.
    if (!pending || pending.target !== peer) return;
    this.settle(message.id, message.data, message.error);
  }

  private forward(requester: Requester, from: BusAddress, to: number, topic: string, data: unknown, timeout: number): void {
    const target = this.peerFor(to);
    if (!target) {
      const message = `Cannot send request "${topic}" to worker ${to}: no such worker is ready`;
      return this.answer(requester, undefined, { code: "BUS_NO_WORKER", message });
    }
    const id = this.nextId++;
    const cancelTimer = this.schedule(timeout, () => {
      const message = `Request "${topic}" to worker ${to} timed out after ${timeout} ms`;
      this.settle(id, undefined, { code: "BUS_TIMEOUT", message });
    });
    this.pending.set(id, { requester, target, topic, cancelTimer });
    if (target.send({ type: "request", id, topic, data, from })) return;
    // Waiting for the timeout would not help: the worker is not reading.
    const message = `Cannot send request "${topic}" to worker ${to}: its bus queue is full (it is not reading its messages)`;
    this.settle(id, undefined, { code: "BUS_QUEUE_FULL", message });
  }

  private answerLocally(requester: Requester, topic: string, data: unknown): void {
    const handler = this.handlers.get(topic);
    if (!handler) {
      return this.answer(requester, undefined, fail("BUS_NO_HANDLER", `The supervisor has no handler for "${topic}"`));
    }
    const from = "peer" in requester ? requester.peer.slot : 0;
    // A handler that relays to another node passes that node's bus failure on as it is.
    const failed = (error: unknown) =>
      this.answer(requester, undefined, isBusFailure(error)
        ? fail(error.code, error.message)
        : fail("BUS_HANDLER_FAILED", `The supervisor failed to handle "${topic}": ${errorText(error)}`));
    let result: unknown;
    try {
      result = handler(data, from);
    } catch (error) {
      return failed(error);
    }
    // Synchronous answers go out at once; the round trip is what the benchmark measures.
    if (!isThenable(result)) return this.answer(requester, result);
    result.then((value) => this.answer(requester, value), failed);
  }

  private settle(id: number, data: unknown, error?: BusFailure): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.cancelTimer();
    this.answer(pending.requester, data, error);
  }

  private answer(requester: Requester, data: unknown, error?: BusFailure): void {
    if ("settle" in requester) return requester.settle(data, error);
    if (requester.peer.state === "exited") return;
    requester.peer.send(error ? { type: "reply", id: requester.id, error } : { type: "reply", id: requester.id, data });
  }

  private broadcast(message: BusSupervisorMessage): void {
    for (const peer of this.peers) {
      if (peer.state === "ready" || peer.state === "draining") peer.send(message);
    }
  }

  /** The process that answers to a worker id: the newest ready one (during a reload two share a slot). */
  private peerFor(workerId: number): BusPeer | undefined {
    let found: BusPeer | undefined;
    for (const peer of this.peers) if (peer.slot === workerId && peer.state === "ready" && peer.addressable !== false) found = peer;
    return found;
  }

  /** Tells every worker the ready ids when they changed; a newly ready worker always gets them. */
  private announceWorkers(newcomer?: BusPeer): void {
    const ids = this.readyIds();
    const key = ids.join(",");
    if (key !== this.announced) {
      this.announced = key;
      return this.broadcast({ type: "workers", ids });
    }
    newcomer?.send({ type: "workers", ids });
  }
}

function fail(code: BusErrorCode, message: string): BusFailure {
  return { code, message };
}

function isBusFailure(error: unknown): error is LskyError & { code: BusErrorCode } {
  return isLskyError(error) && error.code.startsWith("BUS_");
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}
