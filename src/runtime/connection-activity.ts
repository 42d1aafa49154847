/** What the tracker reads of a connection (a net.Socket). */
export interface TrackedConnection {
  /** Bytes received so far: it moves whenever the client sends anything. */
  readonly bytesRead: number;
  destroy(): void;
  once(event: "close", listener: () => void): unknown;
}

interface Activity {
  /** `bytesRead` at the last look. */
  bytesRead: number;
  /** A response was under way at the last look. */
  answering: boolean;
  /** No earlier than when the connection last went idle: the first look that found it idle. */
  idleSince: number;
}

/**
 * When each connection of a node:http server was last active, so a drain can
 * close only the connections that stayed idle past a margin. Closing a
 * kept-alive connection races its client's next request: the request is on
 * the wire (or about to be) when the close arrives, and the client sees a
 * reset it cannot tell from a crash. A client that sends again within the
 * margin is answered with `Connection: close` instead and closes by itself.
 *
 * Nothing runs per request: the owner calls `look()` now and then (and every
 * sweep of a drain looks first), and a connection counts as active since the
 * last look if the client sent bytes or a response was under way. A look
 * finds activity after it happened, so a connection's idle time is never
 * overstated: it is closed at the margin or up to one look interval later.
 * Following each response's end instead (a listener per response) cost a
 * Node worker about 3.5% of its requests (paired A/B, 2026-12-03).
 */
export class ConnectionActivity {
  private readonly connections = new Map<TrackedConnection, Activity>();

  /** `isAnswering`: whether a response is under way on the connection (node:http's `_httpMessage`). */
  constructor(
    private readonly isAnswering: (connection: TrackedConnection) => boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  opened(connection: TrackedConnection): void {
    this.connections.set(connection, { bytesRead: connection.bytesRead, answering: false, idleSince: this.now() });
    connection.once("close", () => this.connections.delete(connection));
  }

  /** A connection that is no longer HTTP's (upgraded to a WebSocket): its own owner closes it. */
  forget(connection: TrackedConnection): void {
    this.connections.delete(connection);
  }

  /** Notes which connections were active since the last look. */
  look(): void {
    const now = this.now();
    for (const [connection, activity] of this.connections) {
      const bytesRead = connection.bytesRead;
      const answering = this.isAnswering(connection);
      // A response that ended since the last look ended no earlier than that look.
      if (bytesRead !== activity.bytesRead || answering || activity.answering) activity.idleSince = now;
      activity.bytesRead = bytesRead;
      activity.answering = answering;
    }
  }

  /**
   * Closes the connections with no response under way that have been idle
   * for at least `marginMs`; returns how many. Each connection reaches the
   * margin at its own time, so the closes (and the clients' reconnects) are
   * spread out rather than all at once.
   */
  closeIdle(marginMs: number): number {
    this.look();
    const cutoff = this.now() - marginMs;
    let closed = 0;
    for (const [connection, activity] of this.connections) {
      if (activity.answering || activity.idleSince > cutoff) continue;
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
