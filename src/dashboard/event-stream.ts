// About a minute of ticks.
const MAX_QUEUED_EVENTS = 60;

/**
 * One server-sent-events hub for every open dashboard: the supervisor
 * samples once and writes the same bytes to each client, so ten open tabs
 * cost ten writes a second, not ten samplers or ten polling loops.
 */
export class EventStream {
  private readonly clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private readonly encoder = new TextEncoder();

  get size(): number {
    return this.clients.size;
  }

  /** A response that first sends `hello`, then every broadcast until the client goes. */
  open(hello: { event: string; data: unknown }): Response {
    let self: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        // Tells EventSource how long to wait before reconnecting after the supervisor went away.
        controller.enqueue(this.encoder.encode("retry: 2000\n\n"));
        controller.enqueue(this.encode(hello.event, hello.data));
        this.clients.add(controller);
      },
      cancel: () => void this.clients.delete(self),
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        // A proxy in front must not hold the events back in a buffer.
        "x-accel-buffering": "no",
      },
    });
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const bytes = this.encode(event, data);
    for (const client of this.clients) {
      try {
        // A client that stopped reading (a frozen tab) would hold every event in memory.
        if ((client.desiredSize ?? 0) < -MAX_QUEUED_EVENTS) throw new Error("client too far behind");
        client.enqueue(bytes);
      } catch {
        // Gone between two ticks (its cancel has not run yet), or too far behind.
        this.clients.delete(client);
        try {
          client.close();
        } catch {
          // Already closed.
        }
      }
    }
  }

  /** Ends every stream (the supervisor stops). */
  close(): void {
    for (const client of this.clients) {
      try {
        client.close();
      } catch {
        // Already closed.
      }
    }
    this.clients.clear();
  }

  private encode(event: string, data: unknown): Uint8Array {
    return this.encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
