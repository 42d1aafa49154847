// A Queue and a Worker of BullMQ on the Redis at argv[2]: adds 20 jobs,
// waits until the Worker has run them, and prints one JSON line with the
// engine and how many Redis connections the Queue and the Worker opened
// (CLIENT LIST before and after each). Run as it is, bundled by esbuild, and
// under node, bun and deno to see where BullMQ runs.
// Usage: <engine> bullmq-probe.mjs redis://127.0.0.1:PORT
import { Queue, Worker } from "bullmq";
import IORedis from "ioredis";

const url = new URL(process.argv[2] ?? process.argv[1]);
const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
const admin = new IORedis(connection);
const clients = async () => (await admin.client("LIST")).trim().split("\n").length;

const engine = typeof Bun !== "undefined" ? "bun" : typeof Deno !== "undefined" ? "deno" : "node";
const base = await clients();
const queue = new Queue("probe", { connection });
await queue.waitUntilReady();
const afterQueue = await clients();
let done = 0;
const finished = new Promise((resolve) => {
  const worker = new Worker("probe", async (job) => job.data.n * 2, { connection, concurrency: 2 });
  worker.on("completed", () => {
    if (++done === 20) resolve(worker);
  });
});
await queue.addBulk(Array.from({ length: 20 }, (_, n) => ({ name: "double", data: { n } })));
const worker = await finished;
const afterWorker = await clients();
console.log(JSON.stringify({ engine, done, queueConnections: afterQueue - base, workerConnections: afterWorker - afterQueue }));
await worker.close();
await queue.close();
await admin.quit();
