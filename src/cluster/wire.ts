/**
 * What the nodes of a cluster say to each other on Redis pub/sub: the
 * channel names and the messages, one JSON document each. Every message
 * names the node that sent it (`n`), so a node drops what it hears of its own.
 */

/**
 * Every node listens here: publishes and the questions put to all nodes. The
 * prefix (--cluster-prefix) keeps two clusters on one Redis apart: pub/sub
 * channels ignore the database number in the URL.
 */
export function allNodesChannel(prefix: string): string {
  return `${prefix}:cluster:all`;
}

/** One node listens here: requests for its workers, and the replies to what it asked. */
export function nodeChannel(prefix: string, node: string): string {
  return `${prefix}:cluster:node:${node}`;
}

/** One bus publish to every worker ("*"), as the supervisor received it. */
export interface PublishedEntry {
  t: string;
  d?: unknown;
}

export interface ReplyError {
  code: string;
  message: string;
}

export type ClusterMessage =
  /** The bus publishes of one event-loop turn of the sending node's supervisor. */
  | { k: "pub"; n: string; m: PublishedEntry[] }
  /** Asks worker `w` of the receiving node the bus request `t`. */
  | { k: "ask"; n: string; id: number; w: number; t: string; d?: unknown }
  /** Asks every node for the sum of its workers' (numeric) answers to `t`. */
  | { k: "sum"; n: string; id: number; t: string; d?: unknown }
  /** The answer to `ask` or `sum` number `id` of the node it goes to. */
  | { k: "rep"; n: string; id: number; d?: unknown; e?: ReplyError };

export function encodeMessage(message: ClusterMessage): string {
  return JSON.stringify(message);
}

/** One publish, encoded on its own so that a batch can be measured as it grows. */
export function encodeEntry(topic: string, data: unknown): string {
  return JSON.stringify(data === undefined ? { t: topic } : { t: topic, d: data });
}

/** A "pub" message of entries already encoded by encodeEntry (each is encoded once). */
export function encodePublishes(node: string, entries: readonly string[]): string {
  return `{"k":"pub","n":${JSON.stringify(node)},"m":[${entries.join(",")}]}`;
}

/** The message, or undefined for anything that is not one (another program on the same Redis). */
export function decodeMessage(text: string): ClusterMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (typeof message.n !== "string") return undefined;
  switch (message.k) {
    case "pub":
      return Array.isArray(message.m) && message.m.every(isEntry) ? (message as ClusterMessage) : undefined;
    case "ask":
      return isId(message.id) && isId(message.w) && typeof message.t === "string" ? (message as ClusterMessage) : undefined;
    case "sum":
      return isId(message.id) && typeof message.t === "string" ? (message as ClusterMessage) : undefined;
    case "rep":
      return isId(message.id) && (message.e === undefined || isReplyError(message.e)) ? (message as ClusterMessage) : undefined;
    default:
      return undefined;
  }
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isEntry(value: unknown): value is PublishedEntry {
  return typeof value === "object" && value !== null && typeof (value as PublishedEntry).t === "string";
}

function isReplyError(value: unknown): value is ReplyError {
  const error = value as ReplyError | null;
  return typeof error === "object" && error !== null && typeof error.code === "string" && typeof error.message === "string";
}

/**
 * Bus topics a worker asks its supervisor, which carries them to the other
 * nodes: `ask` ({ node, worker, topic, data }) one worker of one node,
 * `sum` ({ topic, data }) every worker of every other node.
 */
export const ASK_NODE_TOPIC = "lsky:cluster:ask";
export const SUM_NODES_TOPIC = "lsky:cluster:sum";

export interface AskNodeRequest {
  node: string;
  worker: number;
  topic: string;
  data?: unknown;
}

export interface SumNodesRequest {
  topic: string;
  data?: unknown;
}
