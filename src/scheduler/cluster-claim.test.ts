import assert from "node:assert/strict";
import { test } from "node:test";
import type { SupervisorMessage } from "../bus/protocol.ts";
import type { HeldLock, ScheduleLocks, TickClaim } from "../cluster/schedule-lock.ts";
import type { Logger } from "../log.ts";
import type { JobSpec } from "./job-spec.ts";
import { PoolScheduler, type ScheduleWorker } from "./pool-scheduler.ts";

type Run = Extract<SupervisorMessage, { type: "schedule-run" }>;

/** An in-memory stand-in for the cluster's Redis with the claim script's rules (the real scripts: src/cluster/schedule-lock.test.ts). */
function fakeRedis() {
  const marks = new Map<string, number>();
  const fences = new Map<string, number>();
  const held = new Map<string, string>();
  let down = false;
  const locksFor = (node: string): ScheduleLocks => ({
    node,
    ttl: 5000,
    async claim(job, tick, overlap): Promise<TickClaim> {
      await Promise.resolve();
      if (down) return { outcome: "error", message: "Connection is closed." };
      if ((marks.get(job) ?? -1) >= tick) return { outcome: "taken" };
      const key = overlap ? `${job}:${tick}` : job;
      if (held.has(key)) return { outcome: "busy", owner: held.get(key)! };
      held.set(key, `${node}/${tick}`);
      marks.set(job, tick);
      const fence = (fences.get(job) ?? 0) + 1;
      fences.set(job, fence);
      const lost: Array<(reason: string) => void> = [];
      const lock: HeldLock = { fence, onLost: (l) => void lost.push(l), release: () => void held.delete(key) };
      lockHandles.push({ lose: (reason) => lost.forEach((l) => l(reason)) });
      return { outcome: "won", lock };
    },
  });
  const lockHandles: { lose(reason: string): void }[] = [];
  return { locksFor, lockHandles, setDown: (value: boolean) => void (down = value) };
}

/** One node: a scheduler whose wall clock is `skew` ms off, with one ready worker that answers each run at once. */
function node(name: string, skew: number, locks: ScheduleLocks, clock: { mono: number }, jobs: JobSpec[], answer = true) {
  const timers = new Set<{ at: number; wake: () => void }>();
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as Logger;
  const scheduler = new PoolScheduler({
    log,
    now: () => ({ mono: clock.mono, wall: 1_700_000_000_050 + clock.mono + skew }),
    setTimer: (ms, wake) => {
      const mine = { at: clock.mono + ms, wake };
      timers.add(mine);
      return () => void timers.delete(mine);
    },
  });
  scheduler.useClusterLocks(locks);
  const runs: Run[] = [];
  const worker: ScheduleWorker = {
    slot: 1, pid: 1, state: "ready", exited: new Promise(() => {}),
    send(message) {
      if (message.type !== "schedule-run") return true;
      runs.push(message);
      if (answer) queueMicrotask(() => scheduler.onMessage(worker, { type: "schedule-done", id: message.id, ms: 1 }));
      return true;
    },
  };
  scheduler.onMessage(worker, { type: "schedule", jobs });
  scheduler.onMessage(worker, { type: "ready", port: 1 });
  const fireDue = () => {
    for (const t of [...timers]) if (t.at <= clock.mono) (timers.delete(t), t.wake());
  };
  return { name, scheduler, runs, lines, worker, fireDue };
}

/** Moves the shared true time on 1 ms at a time, letting each claim settle as the event loop would. */
async function advance(clock: { mono: number }, nodes: ReturnType<typeof node>[], ms: number) {
  for (let i = 0; i < ms; i++) {
    clock.mono++;
    for (const n of nodes) n.fireDue();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const every100: JobSpec = { name: "tick", every: 100, overlap: false };

test("two nodes whose clocks differ by 3 ms run each tick once between them, named by its grid time", async () => {
  const redis = fakeRedis();
  const clock = { mono: 0 };
  const a = node("a", 3, redis.locksFor("a"), clock, [every100]);
  const b = node("b", 0, redis.locksFor("b"), clock, [every100]);
  await advance(clock, [a, b], 1000);
  const ticks = [...a.runs, ...b.runs].map((r) => r.scheduledAt).sort();
  assert.equal(ticks.length, 10);
  assert.equal(new Set(ticks).size, 10, "no tick ran twice");
  for (const t of ticks) assert.equal(t % 100, 0, `tick ${t} on the epoch's 100 ms grid`);
  // The node whose clock is ahead reaches each tick first.
  assert.equal(a.runs.length, 10);
  const [jobA] = a.scheduler.status();
  const [jobB] = b.scheduler.status();
  assert.deepEqual([jobA!.runs, jobA!.cluster], [10, { elsewhere: 0, lockErrors: 0, locksLost: 0 }]);
  assert.deepEqual([jobB!.runs, jobB!.cluster], [0, { elsewhere: 10, lockErrors: 0, locksLost: 0 }]);
  assert.deepEqual(a.runs.map((r) => r.cluster?.fence), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(a.runs[0]!.cluster?.node, "a");
});

test("when a node stops, the other runs the next tick", async () => {
  const redis = fakeRedis();
  const clock = { mono: 0 };
  const a = node("a", 3, redis.locksFor("a"), clock, [every100]);
  const b = node("b", 0, redis.locksFor("b"), clock, [every100]);
  await advance(clock, [a, b], 500);
  a.scheduler.stop();
  await advance(clock, [a, b], 500);
  const ticks = [...a.runs, ...b.runs].map((r) => r.scheduledAt);
  assert.equal(ticks.length, 10);
  assert.equal(new Set(ticks).size, 10);
  assert.equal(b.runs.length, 5);
});

test("with Redis away no tick runs: each is counted a lock error, the first logged", async () => {
  const redis = fakeRedis();
  const clock = { mono: 0 };
  const a = node("a", 0, redis.locksFor("a"), clock, [every100]);
  redis.setDown(true);
  await advance(clock, [a], 300);
  assert.equal(a.runs.length, 0);
  assert.equal(a.scheduler.status()[0]!.cluster!.lockErrors, 3);
  assert.equal(a.lines.filter((l) => l.includes("cannot take its cluster lock")).length, 1);
  redis.setDown(false);
  await advance(clock, [a], 100);
  assert.equal(a.runs.length, 1);
  assert.match(a.lines.join("\n"), /cluster lock is back after 3 ticks not run/);
});

test("a run that loses its lock has its signal aborted, and the next tick waits for no one", async () => {
  const redis = fakeRedis();
  const clock = { mono: 0 };
  const a = node("a", 0, redis.locksFor("a"), clock, [every100], false);
  const sent: SupervisorMessage[] = [];
  const send = a.worker.send.bind(a.worker);
  a.worker.send = (m) => (sent.push(m), send(m));
  await advance(clock, [a], 100);
  assert.equal(a.runs.length, 1);
  redis.lockHandles[0]!.lose("the lock expired and is no longer this run's");
  assert.deepEqual(sent.filter((m) => m.type === "schedule-abort").map((m) => m.type === "schedule-abort" && m.id), [a.runs[0]!.id]);
  assert.equal(a.scheduler.status()[0]!.cluster!.locksLost, 1);
});

test("while one node's run holds the lock, the other skips the job's ticks, and says when the lock is free again", async () => {
  const redis = fakeRedis();
  const clock = { mono: 0 };
  const a = node("a", 3, redis.locksFor("a"), clock, [every100], false);
  const b = node("b", 0, redis.locksFor("b"), clock, [every100]);
  await advance(clock, [a, b], 300);
  assert.equal(a.runs.length, 1);
  assert.equal(b.runs.length, 0);
  assert.equal(b.scheduler.status()[0]!.skips, 2);
  assert.match(b.lines[0]!, /still running from an earlier tick \(lock held by a\/\d+\)/);
  a.scheduler.onMessage(a.worker, { type: "schedule-done", id: a.runs[0]!.id, ms: 250 });
  a.scheduler.stop();
  await advance(clock, [a, b], 100);
  assert.equal(b.runs.length, 1);
  assert.match(b.lines.join("\n"), /cluster lock is free again; 2 ticks skipped meanwhile/);
});
