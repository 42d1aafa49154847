import { type ClientRequest, request as httpRequest } from "node:http";
import { waitFor } from "./wait.ts";

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** A server-sent-events stream read with node:http, keeping every event it received. */
export interface EventStreamReader {
  readonly events: ServerSentEvent[];
  readonly status: number;
  /** True once the server ended the stream or the connection failed. */
  readonly ended: boolean;
  /** Waits for an event after index `from` that satisfies `check`; returns its index. */
  waitForEvent(description: string, check: (event: ServerSentEvent) => boolean, from?: number, timeoutMs?: number): Promise<number>;
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
  return new Promise((resolve, reject) => {
    const events: ServerSentEvent[] = [];
    let ended = false;
    let buffer = "";
    const req: ClientRequest = httpRequest(url, { headers: { accept: "text/event-stream", ...headers }, agent: false }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      });
      res.on("end", () => (ended = true));
      res.on("error", () => (ended = true));
      resolve({
        events,
        status: res.statusCode ?? 0,
        get ended() {
          return ended;
        },
        waitForEvent: (description, check, from = 0, timeoutMs = 30_000) =>
          waitFor(description, () => {
            const index = events.findIndex((e, i) => i >= from && check(e));
            if (index === -1 && ended) throw new Error("the stream ended");
            return index === -1 ? undefined : index;
          }, timeoutMs, 50),
        close: () => req.destroy(),
      });
    });
    req.on("error", (error) => {
      ended = true;
      reject(error);
    });
    req.end();
  });
}
