import type { StoreReply } from "./protocol.ts";
import { StoreClient } from "./client.ts";
import { installStoreGlobal } from "./facade.ts";

export interface JoinedStore {
  readonly client: StoreClient;
  /** The supervisor's store messages, by type, for the process's bus dispatch table. */
  readonly receive: { "store-reply": (message: StoreReply) => void };
}

/**
 * Joins any process on the bus (HTTP worker, task worker, custom process) to
 * the shared store: `sendLine` writes one line to the supervisor (false when
 * the connection is gone), `receive` goes into the process's dispatch table,
 * and `client.disconnected()` is for when the bus closes. Installs the client
 * as `globalThis.lsky.store`, so `table` and `cache` from "lsky" reach it.
 */
export function joinStore(sendLine: (line: string) => boolean): JoinedStore {
  const client = new StoreClient(sendLine);
  installStoreGlobal(client);
  return { client, receive: { "store-reply": (message) => client.receive(message) } };
}
