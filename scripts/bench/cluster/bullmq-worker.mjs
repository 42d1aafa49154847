// One BullMQ Worker process of the cluster suite (the peer of one lsky task
// worker: one job at a time, an empty handler). Sends its parent, over IPC,
// batches of add→handler-end latencies in ms (the job's data.at is the wall
// clock of the add, from performance.timeOrigin + performance.now()). Taken
// at the handler's end, as lsky's side can only be: BullMQ's own
// completion (moveToFinished) follows, outside the latency.
// Usage: node bullmq-worker.mjs redis://127.0.0.1:PORT QUEUE CONCURRENCY
import { Worker } from "bullmq";

const [url, queueName, concurrency] = [new URL(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 1)];
const connection = { host: url.hostname, port: Number(url.port), maxRetriesPerRequest: null };
const wallMs = () => performance.timeOrigin + performance.now();

let batch = [];
let flushing;
// One message per 5 ms rather than one per job: the reporting should not
// weigh on the figure it reports.
function record(ms) {
  batch.push(ms);
  flushing ??= setTimeout(() => {
    process.send({ latencies: batch });
    batch = [];
    flushing = undefined;
  }, 5);
}

const worker = new Worker(queueName, async (job) => void record(wallMs() - job.data.at), { connection, concurrency });
worker.on("error", (error) => console.error(String(error)));
await worker.waitUntilReady();
process.send({ ready: true });
process.on("message", async (message) => {
  if (message !== "stop") return;
  await worker.close();
  process.exit(0);
});
