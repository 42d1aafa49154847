// The app lsky's durable side of the cluster suite serves, in cluster mode
// with `--workers 1 --task-workers 2`:
//   GET /probe            one tasks.dispatch(..., { durable: true }): {available, code?}
//   GET /bulk?n=N         N durable dispatches all in flight
//   GET /single?n=N       N durable dispatches one after another
// The last two wait until every task ran and answer {n, seconds, latencies}:
// each task's dispatch→handler-end time in ms, which the task workers report
// in batches through the shared cache (one flush per 5 ms, so the reporting
// weighs little on what it reports; BullMQ's workers report the same way).
interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  incr(key: string, by?: number): Promise<number>;
}
interface Tasks {
  dispatch(name: string, payload?: unknown, options?: { durable?: boolean }): Promise<string>;
}

const lsky = () => (globalThis as unknown as { lsky: { tasks: Tasks; store: { cache: Cache } } }).lsky;
const wallMs = () => performance.timeOrigin + performance.now();
const dispatch = () => lsky().tasks.dispatch("noop", { at: wallMs() }, { durable: true });

let batch: number[] = [];
let flushing: ReturnType<typeof setTimeout> | undefined;

function record(ms: number): void {
  batch.push(ms);
  flushing ??= setTimeout(async () => {
    const [sent, cache] = [batch, lsky().store.cache];
    batch = [];
    flushing = undefined;
    await cache.set(`lat:${await cache.incr("flushes")}`, sent);
    await cache.incr("done", sent.length);
  }, 5);
}

async function collected(n: number): Promise<number[]> {
  const cache = lsky().store.cache;
  const deadline = Date.now() + 120_000;
  while (((await cache.get<number>("done")) ?? 0) < n) {
    if (Date.now() > deadline) throw new Error(`only ${await cache.get("done")} of ${n} durable tasks ran within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const flushes = (await cache.get<number>("flushes")) ?? 0;
  const parts = await Promise.all(Array.from({ length: flushes }, (_, i) => cache.get<number[]>(`lat:${i + 1}`)));
  return parts.flatMap((part) => part ?? []);
}

async function timed(n: number, add: () => Promise<unknown>): Promise<Response> {
  const cache = lsky().store.cache;
  await Promise.all([cache.set("done", 0), cache.set("flushes", 0)]);
  const begun = wallMs();
  await add();
  const latencies = await collected(n);
  return Response.json({ n, seconds: (wallMs() - begun) / 1000, latencies });
}

async function probe(): Promise<Response> {
  try {
    await dispatch();
    return Response.json({ available: true });
  } catch (error) {
    return Response.json({ available: false, code: (error as { code?: string }).code ?? String(error) });
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 1000);
    if (url.pathname === "/probe") return probe();
    if (url.pathname === "/bulk") return timed(n, () => Promise.all(Array.from({ length: n }, dispatch)));
    if (url.pathname === "/single") return timed(n, async () => {
      for (let i = 0; i < n; i++) await dispatch();
    });
    return new Response("GET /probe, /bulk?n=N or /single?n=N", { status: 404 });
  },
  tasks: {
    noop: (payload: { at: number }) => record(wallMs() - payload.at),
  },
};
