/** What the tracker needs of a connection (a net.Socket). */
export interface TrackedConnection {
  destroy(): void;
  once(event: "close", listener: () => void): unknown;
}

interface Activity {
  /** Requests started and not yet answered on this connection. */
  busy: number;
  /** When the connection last became idle (opened, or its last response ended). */
  idleSince: number;
}

/**
 * When each connection of a node:http server was last active, so a drain can
 * close only the connections that stayed idle past a margin. Closing a
 * kept-alive connection races its client's next request: the request is on
 * the wire (or about to be) when the close arrives, and the client sees a
 * reset it cannot tell from a crash. A client that sends again within the
 * margin is answered with `Connection: close` instead and closes by itself.
 */
export class ConnectionActivity {
  private readonly connections = new Map<TrackedConnection, Activity>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  opened(connection: TrackedConnection): void {
    this.connections.set(connection, { busy: 0, idleSince: this.now() });
    connection.once("close", () => this.connections.delete(connection));
  }

  requestStarted(connection: TrackedConnection): void {
    const activity = this.connections.get(connection);
    if (activity) activity.busy++;
  }

  requestEnded(connection: TrackedConnection): void {
    const activity = this.connections.get(connection);
    if (!activity) return;
    activity.busy = Math.max(0, activity.busy - 1);
    activity.idleSince = this.now();
  }

  /**
   * Closes the connections with no request running that have been idle for
   * at least `marginMs`; returns how many. Each connection reaches the margin
   * at its own time, so the closes (and the clients' reconnects) are spread
   * out rather than all at once.
   */
  closeIdle(marginMs: number): number {
    const cutoff = this.now() - marginMs;
    let closed = 0;
    for (const [connection, activity] of this.connections) {
      if (activity.busy > 0 || activity.idleSince > cutoff) continue;
      this.connections.delete(connection);
      connection.destroy();
      closed++;
    }
    return closed;
  }

  get size(): number {
    return this.connections.size;
  }
}
