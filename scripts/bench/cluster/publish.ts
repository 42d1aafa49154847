// Cross-node publish, the same for each side of the cluster suite: a client
// on node a publishes to a room every client is in, a client on node b
// receives it. One at a time for the latency (until both clients have it),
// then a burst for the rate. The server-side CPU (both nodes and
// redis-server) is read around the burst.
import { cpuMsBetween, snapshotCpu } from "../cpu.ts";
import { percentile } from "../stats.ts";
import { pidCpuMs } from "./pid-cpu.ts";

/** A connected client: sends a publish of `text`, and waits for `text` to arrive (skipping others). */
export interface Peer {
  publish(text: string): void;
  receive(text: string): Promise<void>;
  close(): void;
}

/** Two nodes on one Redis with a client on each. */
export interface TwoNodes {
  a: Peer;
  b: Peer;
  /** Process groups of the two nodes (their workers included). */
  groups: number[];
  stop(): Promise<void>;
}

export interface PublishSizes {
  /** Publishes timed one at a time. */
  count: number;
  /** Publishes sent at once for the rate. */
  burst: number;
}

export interface PublishRun {
  medianMs: number;
  p99Ms: number;
  perSecond: number;
  /** Both nodes' and redis-server's CPU time per message of the burst. */
  cpuUsPerMessage: number;
}

const WARM_UP = 100;
// A lost message must fail the turn, not hang the run.
const TIMEOUT_MS = 60_000;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} never arrived within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function roundTrip(nodes: TwoNodes, text: string): Promise<void> {
  const arrived = Promise.all([nodes.b.receive(text), nodes.a.receive(text)]);
  nodes.a.publish(text);
  await within(arrived, `publish ${text}`);
}

async function latencies(nodes: TwoNodes, count: number): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await roundTrip(nodes, `w${i}`);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const begun = nowMs();
    await roundTrip(nodes, `p${i}`);
    samples.push(nowMs() - begun);
  }
  return samples.sort((x, y) => x - y);
}

export async function measurePublish(nodes: TwoNodes, redisPid: number, sizes: PublishSizes): Promise<PublishRun> {
  const samples = await latencies(nodes, sizes.count);
  const last = nodes.b.receive(`b${sizes.burst - 1}`);
  const cpuBefore = snapshotCpu(nodes.groups);
  const redisBefore = pidCpuMs(redisPid);
  const begun = nowMs();
  for (let i = 0; i < sizes.burst; i++) nodes.a.publish(`b${i}`);
  await within(last, `the burst's last publish`);
  const seconds = (nowMs() - begun) / 1000;
  const cpuMs = cpuMsBetween(cpuBefore, snapshotCpu(nodes.groups)) + pidCpuMs(redisPid) - redisBefore;
  return {
    medianMs: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    perSecond: sizes.burst / seconds,
    cpuUsPerMessage: (cpuMs * 1000) / sizes.burst,
  };
}
