// The two measurements every task runner in the "tasks" suite gets, given a
// function that runs one empty task and resolves when it is back: sequential
// round trips (median, p99) and tasks per second with `concurrency` in flight.
import { percentile } from "../stats.ts";

// process.hrtime is in all three engines and never coarsened, unlike performance.now() may be.
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export async function roundTrips(runOne: (i: number) => Promise<unknown>, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = nowMs();
    await runOne(i);
    times.push(nowMs() - started);
  }
  times.sort((a, b) => a - b);
  return { n, medianMs: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

export async function throughput(runOne: (i: number) => Promise<unknown>, n: number, concurrency: number) {
  let next = 0;
  const started = nowMs();
  const lane = async () => {
    while (next < n) await runOne(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { n, concurrency, perSecond: n / ((nowMs() - started) / 1000) };
}
