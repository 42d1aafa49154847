// The app the "table" suite serves with 2 workers. GET /run?target=...&op=...&c=...&n=...
// makes every worker run n operations with c in flight (c loops, each awaiting
// its call before the next) against lsky's table or redis-server, at once, and
// answers with the total rate and the workers' CPU time. The same work on both
// sides: a row of a 1,000-key table against a Redis hash per key
// (get: HGETALL, set: HSET, incr: HINCRBY).
import { table } from "lsky";

interface Bus {
  readonly workerId: number;
  workers(): number[];
  request(target: number, topic: string, data?: unknown, options?: { timeout?: number }): Promise<unknown>;
  handle(topic: string, handler: (data: unknown) => unknown): () => void;
}
interface Job { target: "table" | "redis" | "redis-auto"; op: "get" | "set" | "incr"; c: number; n: number; redisPort: number }
interface Client { get(key: string): Promise<unknown>; set(key: string, i: number): Promise<unknown>; incr(key: string): Promise<unknown> }

const { bus } = (globalThis as unknown as { lsky: { bus: Bus } }).lsky;
const KEYS = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
const rows = table("bench");
const tableClient: Client = { get: (key) => rows.get(key), set: (key, i) => rows.set(key, { n: i }), incr: (key) => rows.incr(key, "n") };
const redisClients = new Map<string, Client>();

async function redisClient(port: number, auto: boolean): Promise<Client> {
  const id = `${port}:${auto}`;
  const known = redisClients.get(id);
  if (known) return known;
  // Loaded only when asked, so the table side runs where ioredis does not.
  const { default: Redis } = await import("ioredis");
  const redis = new Redis({ port, host: "127.0.0.1", enableAutoPipelining: auto });
  const client: Client = { get: (key) => redis.hgetall(key), set: (key, i) => redis.hset(key, "n", i), incr: (key) => redis.hincrby(key, "n", 1) };
  redisClients.set(id, client);
  return client;
}

async function runJob(job: Job) {
  const client = job.target === "table" ? tableClient : await redisClient(job.redisPort, job.target === "redis-auto");
  const call = client[job.op];
  let issued = 0;
  const lane = async () => {
    while (issued < job.n) {
      const i = issued++;
      await call(KEYS[i % KEYS.length]!, i);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: job.c }, lane));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ops: job.n, ms, cpuUs: used.user + used.system };
}

bus.handle("bench-run", (data) => runJob(data as Job));

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/instance") return new Response(String(bus.workerId));
    if (url.pathname !== "/run") return new Response("not found", { status: 404 });
    const p = url.searchParams;
    const job: Job = {
      target: p.get("target") as Job["target"], op: p.get("op") as Job["op"],
      c: Number(p.get("c")), n: Number(p.get("n")), redisPort: Number(p.get("redisPort")),
    };
    try {
      const ids = bus.workers();
      const results = await Promise.all(ids.map((id) => bus.request(id, "bench-run", job, { timeout: 120_000 }))) as Awaited<ReturnType<typeof runJob>>[];
      const ops = results.reduce((sum, r) => sum + r.ops, 0);
      const ms = Math.max(...results.map((r) => r.ms));
      return Response.json({ workers: ids.length, ops, ms, perSecond: ops / ms * 1000, workerCpuUs: results.reduce((sum, r) => sum + r.cpuUs, 0) });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
};
