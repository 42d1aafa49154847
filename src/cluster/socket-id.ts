/**
 * WebSocket ids. Standalone: `WORKER-INCARNATION-N` ("3-lq2x9k0-17"). In a
 * cluster the owning node's name goes first, before a "~" that no node name
 * may hold (config/cluster-options.ts): "web-a~3-lq2x9k0-17". "~" needs no
 * escaping in a URL, and ":" is left alone for apps that split on it.
 */

export const NODE_SEPARATOR = "~";

/** Where a connection lives: its node (absent for a standalone id) and its worker's slot. */
export interface SocketOwner {
  node?: string;
  worker: number;
}

const ID = /^(?:([A-Za-z0-9._-]{1,64})~)?(\d+)-[0-9a-z]+-\d+$/;

/** The prefix of every id a worker hands out; `node` only when the server is in a cluster. */
export function socketIdPrefix(worker: number, incarnation: string, node?: string): string {
  return `${node ? `${node}${NODE_SEPARATOR}` : ""}${worker}-${incarnation}-`;
}

/** The owner named by an id, or undefined for something that is no lsky id. */
export function parseSocketId(id: unknown): SocketOwner | undefined {
  if (typeof id !== "string") return undefined;
  const match = ID.exec(id);
  if (!match) return undefined;
  const worker = Number(match[2]);
  return match[1] === undefined ? { worker } : { node: match[1], worker };
}
