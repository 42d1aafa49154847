import type { LskyBus } from "../bus/app-api.ts";
import { isLskyError, LskyError } from "../errors.ts";
import type { Sockets } from "./app-api.ts";
import type { SocketHub } from "./host.ts";
import { type Frame, fromWire, toFrame, toWire, type WireFrame } from "./payload.ts";
import { PublishBatcher, type PublishEntry } from "./publish-batch.ts";
import { parseSocketId } from "../cluster/socket-id.ts";
import { ASK_NODE_TOPIC, type AskNodeRequest, SUM_NODES_TOPIC, type SumNodesRequest } from "../cluster/wire.ts";
import { BUS_DEFAULT_TIMEOUT_MS } from "../bus/protocol.ts";

// Bus topics of lsky's own; apps' topics never start with "lsky:".
const PUBLISH = "lsky:ws:publish";
const SEND = "lsky:ws:send";
const CLOSE = "lsky:ws:close";
const COUNT = "lsky:ws:count";

/** The publishes of one event-loop turn of one worker. */
interface PublishMessage {
  /** The publishing worker's id prefix: a reload's old and new worker share a number. */
  o: string;
  m: PublishEntry[];
}

/** The worker that owns a connection: the slot number in its id. */
export function ownerOf(id: string): number | undefined {
  return parseSocketId(id)?.worker;
}

function gone(id: string): LskyError {
  return new LskyError("WS_GONE", `WebSocket ${JSON.stringify(id)} is closed or unknown`);
}

/**
 * Joins a worker's hub to the pool over the bus: one bus message per worker
 * for a publish (each worker fans out to its own subscribers), a request to
 * the owning worker for a send or close, one per worker for a count.
 */
export function joinPool(hub: SocketHub, bus: LskyBus): Sockets {
  const batcher = serveHub(hub, bus);
  const toOwner = <T>(id: string, topic: string, local: () => T, data: object) => {
    // A send after a publish must not overtake it on the bus.
    batcher.flush();
    return askOwner(bus, hub.node, id, topic, local, data);
  };

  return {
    async send(id, data) {
      const frame: Frame = toFrame(data);
      const local = () => (id.startsWith(hub.idPrefix) ? (hub.local.get(id)?.deliver(frame) ?? false) : false);
      const delivered = await toOwner(id, SEND, local, { id, ...toWire(frame) });
      if (delivered !== true) throw gone(id);
    },
    publish(topic, data) {
      if (typeof topic !== "string" || topic.length === 0) throw new TypeError(`A WebSocket topic must be a non-empty string, got ${JSON.stringify(topic)}`);
      hub.publish(topic, toFrame(data), undefined);
    },
    async close(id, code = 1000, reason = "") {
      const message: CloseMessage = { id, code, reason };
      return (await toOwner(id, CLOSE, () => closeLocal(hub, message), message)) === true;
    },
    async count(topic) {
      const others = bus.workers().filter((worker) => worker !== bus.workerId);
      const asked = others.map((worker) => bus.request<number>(worker, COUNT, { topic }));
      // In a cluster the supervisor adds the other nodes' counts (those that answer within its wait).
      if (hub.node !== undefined) asked.push(bus.request<number>("supervisor", SUM_NODES_TOPIC, { topic: COUNT, data: { topic } } satisfies SumNodesRequest));
      const answers = await Promise.allSettled(asked);
      return answers.reduce((sum, answer) => sum + (answer.status === "fulfilled" ? answer.value : 0), hub.count(topic));
    },
  };
}

/** This worker's side of the pool: its publishes go out, the others' come in, sends and closes are answered. */
function serveHub(hub: SocketHub, bus: LskyBus): PublishBatcher {
  const batcher = new PublishBatcher((m) => bus.publish(PUBLISH, { o: hub.idPrefix, m } satisfies PublishMessage));
  hub.forward = (topic, frame, exceptId) => {
    const entry: PublishEntry = { t: topic, ...toWire(frame) };
    if (exceptId) entry.x = exceptId;
    batcher.add(entry);
  };
  bus.subscribe(PUBLISH, (data) => {
    const message = data as PublishMessage;
    // This worker already delivered its own publishes, before the bus saw them.
    if (message.o === hub.idPrefix || !Array.isArray(message.m)) return;
    for (const entry of message.m) hub.publishLocal(entry.t, fromWire(entry), entry.x);
  });
  bus.handle(SEND, (data) => {
    const { id, ...wire } = data as WireFrame & { id: string };
    return hub.local.get(id)?.deliver(fromWire(wire)) ?? false;
  });
  bus.handle(CLOSE, (data) => closeLocal(hub, data as CloseMessage));
  bus.handle(COUNT, (data) => hub.count((data as { topic?: string }).topic));
  return batcher;
}

/**
 * Runs `local` when this worker owns the connection, else asks the owner (on
 * another node through the supervisor); undefined when no one owns it any more.
 */
async function askOwner<T>(bus: LskyBus, node: string | undefined, id: string, topic: string, local: () => T, data: object): Promise<T | undefined> {
  const owner = parseSocketId(id);
  // A standalone server's ids name no node, a cluster node's always do.
  if (owner === undefined || (owner.node === undefined) !== (node === undefined)) return undefined;
  const remote = owner.node !== node;
  if (!remote && owner.worker === bus.workerId) return local();
  try {
    if (!remote) return await bus.request<T>(owner.worker, topic, data);
    const request: AskNodeRequest = { node: owner.node!, worker: owner.worker, topic, data };
    // Longer than the supervisor waits for the other node, so that its BUS_TIMEOUT, naming the node, comes first.
    return await bus.request<T>("supervisor", ASK_NODE_TOPIC, request, { timeout: BUS_DEFAULT_TIMEOUT_MS + 1000 });
  } catch (error) {
    // The owner is gone or not running: so is the connection.
    if (isLskyError(error) && (error.code === "BUS_NO_WORKER" || error.code === "BUS_WORKER_GONE")) return undefined;
    throw error;
  }
}

interface CloseMessage {
  id: string;
  code: number;
  reason: string;
}

function closeLocal(hub: SocketHub, { id, code, reason }: CloseMessage): boolean {
  const socket = hub.local.get(id);
  if (!socket || socket.readyState !== 1) return false;
  socket.close(code, reason);
  return true;
}
