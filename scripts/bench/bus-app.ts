// The app the "bus" suite serves with 2 workers. GET /?kind=...&n=...
// runs on whichever worker takes it, against the other worker, and answers
// with the figures; every message goes worker -> supervisor -> worker.
// GET /instance names the worker, so the harness knows when both serve.
import { percentile } from "./stats.ts";

interface Bus {
  readonly workerId: number;
  workers(): number[];
  send(workerId: number, topic: string, data?: unknown): void;
  subscribe(topic: string, handler: (data: unknown, info: { from: number | "supervisor" }) => void): () => void;
  request(target: number | "supervisor", topic: string, data?: unknown, options?: { timeout?: number }): Promise<unknown>;
  handle(topic: string, handler: (data: unknown) => unknown): () => void;
}

const { bus } = (globalThis as unknown as { lsky: { bus: Bus } }).lsky;

bus.handle("echo", (data) => data);

// One-way burst: the receiver counts and tells the sender when the last arrived.
let received = 0;
bus.subscribe("burst", (data, info) => {
  const { last } = data as { last: boolean };
  received++;
  if (last && typeof info.from === "number") {
    bus.send(info.from, "burst-done", received);
    received = 0;
  }
});
let burstDone: ((count: number) => void) | undefined;
bus.subscribe("burst-done", (count) => burstDone?.(count as number));

// process.hrtime is in all three engines and never coarsened, unlike performance.now() may be.
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function roundTrips(target: number | "supervisor", n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = nowMs();
    await bus.request(target, target === "supervisor" ? "ping" : "echo", i);
    times.push(nowMs() - started);
  }
  times.sort((a, b) => a - b);
  return { n, medianMs: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

async function burst(target: number, n: number) {
  const done = new Promise<number>((resolve) => (burstDone = resolve));
  const started = nowMs();
  for (let i = 0; i < n; i++) bus.send(target, "burst", { i, last: i === n - 1 });
  const count = await done;
  const seconds = (nowMs() - started) / 1000;
  return { n, received: count, perSecond: Math.round(n / seconds) };
}

async function concurrentRequests(target: number, n: number, concurrency: number) {
  let next = 0;
  const started = nowMs();
  const lane = async () => {
    while (next < n) {
      next++;
      await bus.request(target, "echo", next);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (nowMs() - started) / 1000;
  return { n, concurrency, perSecond: Math.round(n / seconds) };
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/instance") return new Response(`${process.pid} worker ${bus.workerId}`);
    const n = Number(url.searchParams.get("n") ?? 1000);
    const other = bus.workers().find((id) => id !== bus.workerId);
    if (other === undefined) return Response.json({ error: "no other worker is ready" }, { status: 503 });
    switch (url.searchParams.get("kind")) {
      case "rtt":
        return Response.json({ worker: bus.workerId, ...(await roundTrips(other, n)) });
      case "ping":
        return Response.json({ worker: bus.workerId, ...(await roundTrips("supervisor", n)) });
      case "burst":
        return Response.json({ worker: bus.workerId, ...(await burst(other, n)) });
      case "concurrent":
        return Response.json({ worker: bus.workerId, ...(await concurrentRequests(other, n, 32)) });
      default:
        return new Response("kind must be rtt, ping, burst or concurrent", { status: 400 });
    }
  },
};
