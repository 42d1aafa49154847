import { Buffer } from "node:buffer";
import type { BusHandler, BusMessageInfo, BusSubscriber, LskyBus, LskyGlobal, RequestOptions } from "../bus/app-api.ts";
import {
  BUS_DEFAULT_TIMEOUT_MS,
  BUS_MAX_MESSAGE_BYTES,
  type BusAddress,
  type BusFailure,
  type BusSupervisorMessage,
  type BusWorkerMessage,
} from "../bus/protocol.ts";
import { LskyError } from "../errors.ts";

export interface WorkerBusOptions {
  workerId: number;
  /** Writes one encoded message to the supervisor; false when the connection is gone. */
  sendLine(line: string): boolean;
  /** Where a failing subscriber is reported. */
  log(line: string): void;
}

/** The supervisor's bus messages, by type, for the worker's dispatch table. */
export type BusReceivers = {
  [K in BusSupervisorMessage["type"]]: (message: Extract<BusSupervisorMessage, { type: K }>) => void;
};

export interface WorkerBus {
  readonly bus: LskyBus;
  readonly receive: BusReceivers;
  /** The supervisor connection closed: pending requests fail, later sends are dropped. */
  disconnected(): void;
}

interface PendingRequest {
  topic: string;
  resolve(data: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

// long: the LskyBus methods and the receivers share the subscription, handler and pending-request tables
/**
 * The worker's half of the message bus: the `LskyBus` the app uses, and the
 * receivers for what the supervisor delivers. Every message goes through the
 * supervisor, a publish to oneself included, so ordering is the same for all.
 */
export function createWorkerBus(options: WorkerBusOptions): WorkerBus {
  const { workerId, log } = options;
  const subscribers = new Map<string, Set<BusSubscriber>>();
  const handlers = new Map<string, BusHandler>();
  const pending = new Map<number, PendingRequest>();
  let readyIds: number[] = [];
  let nextId = 1;
  let connected = true;

  const transmit = (message: BusWorkerMessage): boolean => connected && options.sendLine(encode(message));

  const bus: LskyBus = {
    workerId,
    workers: () => [...readyIds],
    publish(topic, data) {
      transmit({ type: "publish", topic: checkTopic(topic), data, to: "*" });
    },
    send(target, topic, data) {
      transmit({ type: "publish", topic: checkTopic(topic), data, to: checkWorkerId(target) });
    },
    subscribe(topic, handler) {
      const set = subscribers.get(checkTopic(topic)) ?? new Set<BusSubscriber>();
      subscribers.set(topic, set);
      set.add(checkFunction(handler));
      return () => void set.delete(handler);
    },
    handle(topic, handler) {
      if (handlers.has(checkTopic(topic))) throw new Error(`A bus handler for "${topic}" is already registered on worker ${workerId}`);
      handlers.set(topic, checkFunction(handler));
      return () => void (handlers.get(topic) === handler && handlers.delete(topic));
    },
    request<T>(target: number | "supervisor", topic: string, data?: unknown, requestOptions: RequestOptions = {}) {
      const to: BusAddress = target === "supervisor" ? target : checkWorkerId(target);
      const timeout = checkTimeout(requestOptions.timeout ?? BUS_DEFAULT_TIMEOUT_MS);
      const id = nextId++;
      const line = encode({ type: "request", id, topic: checkTopic(topic), data, to, timeout });
      return new Promise<T>((resolve, reject) => {
        if (!connected || !options.sendLine(line)) return reject(disconnectedError(topic));
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new LskyError("BUS_TIMEOUT", `Request "${topic}" to ${describe(to)} timed out after ${timeout} ms`));
        }, timeout);
        pending.set(id, { topic, resolve: resolve as (data: unknown) => void, reject, timer });
      });
    },
  };

  const answer = async (id: number, handler: BusHandler, data: unknown, info: BusMessageInfo) => {
    try {
      const result = await handler(data, info);
      transmit({ type: "reply", id, data: result });
    } catch (error) {
      const message = `Worker ${workerId} failed to handle "${info.topic}": ${errorText(error)}`;
      transmit({ type: "reply", id, error: { code: "BUS_HANDLER_FAILED", message } });
    }
  };

  const receive: BusReceivers = {
    deliver({ topic, data, from }) {
      for (const subscriber of subscribers.get(topic) ?? []) {
        runSubscriber(subscriber, data, { topic, from }, log);
      }
    },
    request({ id, topic, data, from }) {
      const handler = handlers.get(topic);
      if (handler) return void answer(id, handler, data, { topic, from });
      const error: BusFailure = { code: "BUS_NO_HANDLER", message: `Worker ${workerId} has no handler for "${topic}"` };
      transmit({ type: "reply", id, error });
    },
    reply({ id, data, error }) {
      const request = pending.get(id);
      if (!request) return; // already timed out
      pending.delete(id);
      clearTimeout(request.timer);
      if (error) request.reject(new LskyError(error.code, error.message));
      else request.resolve(data);
    },
    workers({ ids }) {
      readyIds = ids;
    },
  };

  const disconnected = () => {
    connected = false;
    readyIds = [];
    for (const [id, request] of pending) {
      pending.delete(id);
      clearTimeout(request.timer);
      request.reject(disconnectedError(request.topic));
    }
  };

  return { bus, receive, disconnected };
}

/**
 * Makes the bus reachable as `globalThis.lsky.bus` before the app module
 * loads. A global rather than `import { bus } from "lsky"`: the app is
 * imported from disk at run time, also by the compiled binary, where no
 * package resolution leads back to the running lsky instance (an import
 * would find another copy, or nothing).
 */
export function installBusGlobal(bus: LskyBus): void {
  const target = globalThis as { lsky?: Partial<LskyGlobal> };
  target.lsky ??= {};
  target.lsky.bus = bus;
}

/** JSON-encodes a message and enforces the size limit, counted in UTF-8 bytes. */
function encode(message: BusWorkerMessage): string {
  const line = JSON.stringify(message);
  // UTF-8 takes at least one byte per UTF-16 unit and at most three.
  if (line.length * 3 > BUS_MAX_MESSAGE_BYTES) {
    const bytes = Buffer.byteLength(line);
    if (bytes > BUS_MAX_MESSAGE_BYTES) {
      const what = "topic" in message ? `"${message.topic}"` : "a reply";
      throw new RangeError(`Cannot send ${what} on the bus: it is ${bytes} bytes of JSON, over the limit of ${BUS_MAX_MESSAGE_BYTES}`);
    }
  }
  return line;
}

function runSubscriber(subscriber: BusSubscriber, data: unknown, info: BusMessageInfo, log: (line: string) => void): void {
  const report = (error: unknown) =>
    log(`bus subscriber for "${info.topic}" failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  try {
    const result = subscriber(data, info);
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}

function checkTopic(topic: string): string {
  if (typeof topic !== "string" || topic.length === 0) throw new TypeError(`A bus topic must be a non-empty string, got ${JSON.stringify(topic)}`);
  return topic;
}

function checkWorkerId(id: number): number {
  if (!Number.isInteger(id) || id < 1) throw new TypeError(`A worker id must be an integer from 1, got ${JSON.stringify(id)}`);
  return id;
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`A bus request timeout must be a positive number of ms, got ${String(ms)}`);
  return ms;
}

function checkFunction<F>(value: F): F {
  if (typeof value !== "function") throw new TypeError(`A bus handler must be a function, got ${typeof value}`);
  return value;
}

function describe(to: BusAddress): string {
  return to === "supervisor" ? "the supervisor" : `worker ${to}`;
}

function disconnectedError(topic: string): LskyError {
  return new LskyError("BUS_DISCONNECTED", `Request "${topic}" failed: this worker lost its connection to the supervisor`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
