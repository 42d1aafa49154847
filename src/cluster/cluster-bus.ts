import { setImmediate } from "node:timers";
import { type ErrorCode, ERROR_CODES, isLskyError, LskyError } from "../errors.ts";
import { allNodesChannel, type ClusterMessage, decodeMessage, encodeEntry, encodeMessage, encodePublishes, nodeChannel } from "./wire.ts";

/** Redis as the cluster bus needs it: a PUBLISH that says how many nodes heard it. */
export interface ClusterTransport {
  /** Resolves with the number of subscribers that received `text`; rejects while Redis is away. */
  publish(channel: string, text: string): Promise<number>;
  isUp(): boolean;
}

/** This node's workers, as the supervisor's bus router reaches them. */
export interface LocalWorkers {
  /** Hands another node's publish to every worker, as a local publish. */
  deliver(topic: string, data: unknown): void;
  /** A bus request to one worker; rejects with an LskyError carrying a BUS_* code. */
  ask(worker: number, topic: string, data: unknown, timeout: number): Promise<unknown>;
  /** The ids of the ready workers. */
  workerIds(): number[];
}

export interface ClusterBusOptions {
  node: string;
  /** The cluster's --cluster-prefix, first part of its channel names. */
  prefix: string;
  transport: ClusterTransport;
  local: LocalWorkers;
  /** How long an `ask` waits for the other node (its worker gets 80% of it). */
  askTimeout: number;
  /** How long a `sum` waits for the other nodes' answers. */
  sumWait: number;
  /** Runs `action` at the end of this event-loop turn (tests run it by hand). */
  later?: (action: () => void) => void;
  schedule?: (ms: number, action: () => void) => () => void;
}

/** Messages counted since start: publishes and requests sent and received, publishes dropped while Redis was away. */
export interface ClusterCounters {
  messagesIn: number;
  messagesOut: number;
  dropped: number;
}

interface Waiting {
  kind: "ask" | "sum";
  /** Answers still expected; unknown until PUBLISH said how many nodes heard the question. */
  expected?: number;
  answered: number;
  total: number;
  settle(data: unknown, error?: Error): void;
  cancelTimer(): void;
}

// A supervisor's publishes of one loop turn go out as one Redis message, up
// to this many characters of JSON: a burst from many workers (each bus
// message may be 1 MiB) never builds one huge Redis message. A larger
// publish goes out alone.
export const MAX_BATCH_CHARS = 1024 * 1024;

const realSchedule = (ms: number, action: () => void) => {
  const timer = setTimeout(action, ms);
  return () => clearTimeout(timer);
};

/**
 * The supervisor's side of the cluster bus: sends what this node's workers
 * publish to every worker, once per loop turn, to the other nodes; hands
 * theirs to its own workers; carries a request to a worker of another node
 * and its reply; asks all nodes for a sum (a WebSocket count). While Redis is
 * away nothing waits: publishes are dropped and counted, requests fail at once.
 */
export class ClusterBus {
  readonly counters: ClusterCounters = { messagesIn: 0, messagesOut: 0, dropped: 0 };
  readonly channels: string[];
  #batch: string[] = [];
  #batchChars = 0;
  #flushScheduled = false;
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting>();
  readonly #options: Required<ClusterBusOptions>;

  constructor(options: ClusterBusOptions) {
    this.#options = { later: (action) => void setImmediate(action), schedule: realSchedule, ...options };
    this.channels = [allNodesChannel(options.prefix), nodeChannel(options.prefix, options.node)];
  }

  /** A publish to every worker of this node: to the other nodes too, with this turn's others. */
  publish(topic: string, data: unknown): void {
    if (!this.#options.transport.isUp()) {
      this.counters.dropped++;
      return;
    }
    let entry: string;
    try {
      entry = encodeEntry(topic, data);
    } catch {
      // It came in as JSON, so it goes out as JSON; this is a guard, not a path.
      this.counters.dropped++;
      return;
    }
    if (this.#batchChars + entry.length > MAX_BATCH_CHARS) this.flush();
    this.#batch.push(entry);
    this.#batchChars += entry.length;
    if (this.#batchChars >= MAX_BATCH_CHARS) return this.flush();
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#options.later(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    const entries = this.#batch;
    if (entries.length === 0) return;
    this.#batch = [];
    this.#batchChars = 0;
    const dropAll = () => void (this.counters.dropped += entries.length);
    if (!this.#options.transport.isUp()) return dropAll();
    this.counters.messagesOut += entries.length;
    this.#options.transport.publish(this.channels[0]!, encodePublishes(this.#options.node, entries)).catch(() => {
      this.counters.messagesOut -= entries.length;
      dropAll();
    });
  }

  /**
   * Asks worker `worker` of node `node`. Resolves undefined when no node of
   * that name listens (it left the cluster, and its connections with it).
   */
  ask(node: string, worker: number, topic: string, data: unknown): Promise<unknown> {
    const { askTimeout } = this.#options;
    const late = `Node ${JSON.stringify(node)} did not answer "${topic}" within ${askTimeout} ms`;
    return this.#question(nodeChannel(this.#options.prefix, node), { k: "ask", n: this.#options.node, id: 0, w: worker, t: topic, d: data }, askTimeout, late, () => 1);
  }

  /** The sum of every other node's workers' answers to `topic`; a node that does not answer within `sumWait` adds nothing. */
  async sum(topic: string, data: unknown): Promise<number> {
    if (!this.#options.transport.isUp()) return 0;
    const message: ClusterMessage = { k: "sum", n: this.#options.node, id: 0, t: topic, d: data };
    // This node hears its own question too, and does not answer it.
    const total = await this.#question(this.channels[0]!, message, this.#options.sumWait, "", (heard) => heard - 1).catch(() => 0);
    return typeof total === "number" ? total : 0;
  }

  // long: one waiting entry settled by the replies, the PUBLISH count or the timer, whichever decides first
  /** Publishes a question and waits for `expected(heard)` replies (an ask: one; a sum: all, added up). */
  #question(channel: string, message: Extract<ClusterMessage, { k: "ask" | "sum" }>, timeout: number, late: string, expected: (heard: number) => number): Promise<unknown> {
    if (!this.#options.transport.isUp()) {
      return Promise.reject(new LskyError("BUS_DISCONNECTED", `Cannot reach the other nodes: the cluster's Redis is unreachable`));
    }
    // Publishes made before this question must not be overtaken by it.
    this.flush();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const entry: Waiting = {
        kind: message.k,
        answered: 0,
        total: 0,
        settle: (data, error) => {
          this.#waiting.delete(id);
          entry.cancelTimer();
          if (error) reject(error);
          else resolve(data);
        },
        cancelTimer: () => {},
      };
      entry.cancelTimer = this.#options.schedule(timeout, () =>
        entry.kind === "sum" ? entry.settle(entry.total) : entry.settle(undefined, new LskyError("BUS_TIMEOUT", late)));
      this.#waiting.set(id, entry);
      this.#send(channel, { ...message, id }).then((heard) => {
        entry.expected = expected(heard);
        if (entry.kind === "ask" && heard === 0) return entry.settle(undefined);
        if (entry.kind === "sum" && entry.answered >= entry.expected) entry.settle(entry.total);
      }, (error: Error) => entry.settle(undefined, new LskyError("BUS_DISCONNECTED", `Cannot reach the other nodes: ${error.message}`)));
    });
  }

  /** A message from the Redis subscriber. */
  receive(text: string): void {
    const message = decodeMessage(text);
    // Redis hands a node its own publishes back: its workers already had them.
    if (!message || message.n === this.#options.node) return;
    this.counters.messagesIn += message.k === "pub" ? message.m.length : 1;
    switch (message.k) {
      case "pub":
        for (const entry of message.m) this.#options.local.deliver(entry.t, entry.d);
        return;
      case "ask":
        return void this.#answerAsk(message);
      case "sum":
        return void this.#answerSum(message);
      case "rep":
        return this.#onReply(message);
    }
  }

  async #answerAsk({ n, id, w, t, d }: Extract<ClusterMessage, { k: "ask" }>): Promise<void> {
    try {
      const data = await this.#options.local.ask(w, t, d, Math.round(this.#options.askTimeout * 0.8));
      this.#reply(n, { k: "rep", n: this.#options.node, id, d: data });
    } catch (error) {
      const code = isLskyError(error) ? error.code : "BUS_HANDLER_FAILED";
      this.#reply(n, { k: "rep", n: this.#options.node, id, e: { code, message: error instanceof Error ? error.message : String(error) } });
    }
  }

  async #answerSum({ n, id, t, d }: Extract<ClusterMessage, { k: "sum" }>): Promise<void> {
    const timeout = Math.round(this.#options.sumWait * 0.8);
    const answers = await Promise.allSettled(this.#options.local.workerIds().map((worker) => this.#options.local.ask(worker, t, d, timeout)));
    const total = answers.reduce((sum, answer) => sum + (answer.status === "fulfilled" && typeof answer.value === "number" ? answer.value : 0), 0);
    this.#reply(n, { k: "rep", n: this.#options.node, id, d: total });
  }

  #onReply({ id, d, e }: Extract<ClusterMessage, { k: "rep" }>): void {
    const entry = this.#waiting.get(id);
    if (!entry) return; // after its timeout
    if (e) return entry.settle(undefined, new LskyError(knownCode(e.code), e.message));
    // An ask takes its one reply as it is; a sum waits for every node that heard it.
    if (entry.kind === "ask") return entry.settle(d);
    entry.answered++;
    entry.total += typeof d === "number" ? d : 0;
    if (entry.expected !== undefined && entry.answered >= entry.expected) entry.settle(entry.total);
  }

  #reply(node: string, message: ClusterMessage): void {
    // Lost while Redis is away: the asking node's timer answers for it.
    this.#send(nodeChannel(this.#options.prefix, node), message).catch(() => {});
  }

  #send(channel: string, message: ClusterMessage): Promise<number> {
    this.counters.messagesOut++;
    return this.#options.transport.publish(channel, encodeMessage(message));
  }

  /** Pending requests (for tests). */
  get waiting(): number {
    return this.#waiting.size;
  }
}

function knownCode(code: string): ErrorCode {
  return code in ERROR_CODES ? (code as ErrorCode) : "BUS_HANDLER_FAILED";
}
