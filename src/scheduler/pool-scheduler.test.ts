import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SupervisorMessage } from "../bus/protocol.ts";
import type { Logger } from "../log.ts";
import type { JobSpec } from "./job-spec.ts";
import { PoolScheduler, type ScheduleWorker } from "./pool-scheduler.ts";

/** A fake pool: workers that record what they are sent, a clock moved by hand, timers fired by it. */
function setup() {
  let mono = 0;
  const timers = new Set<{ at: number; wake: () => void }>();
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } as Logger;
  const scheduler = new PoolScheduler({
    log,
    now: () => ({ mono, wall: 1_000_000 + mono }),
    setTimer: (ms, wake) => {
      const mine = { at: mono + ms, wake };
      timers.add(mine);
      return () => void timers.delete(mine);
    },
  });
  const workers: (ScheduleWorker & { sent: SupervisorMessage[]; die(): Promise<void> })[] = [];
  const addWorker = (slot: number, jobs: JobSpec[]) => {
    let die!: () => void;
    const exited = new Promise<void>((resolve) => (die = resolve));
    const worker = {
      slot, pid: 100 + slot, state: "ready" as ScheduleWorker["state"], exited, sent: [] as SupervisorMessage[],
      send(message: SupervisorMessage) {
        this.sent.push(message);
        return true;
      },
      async die() {
        this.state = "exited";
        die();
        await exited;
      },
    };
    workers.push(worker);
    scheduler.onMessage(worker, { type: "schedule", jobs });
    scheduler.onMessage(worker, { type: "ready", port: 1 });
    return worker;
  };
  /** Moves the clock to `to`, firing the timer each time it is due, as the event loop would. */
  const advance = (to: number) => {
    for (;;) {
      const due = [...timers].filter((t) => t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers.delete(due);
      mono = Math.max(mono, due.at);
      due.wake();
    }
    mono = to;
  };
  /** The event loop was stuck until `to`: the clock jumps, then the overdue timer fires. */
  const stall = (to: number) => {
    mono = to;
    advance(to);
  };
  const runsOf = (name: string) => workers.flatMap((w) => w.sent.filter((m) => m.type === "schedule-run" && m.name === name));
  const finishAll = () => {
    for (const w of workers) {
      for (const m of w.sent.splice(0)) if (m.type === "schedule-run") scheduler.onMessage(w, { type: "schedule-done", id: m.id, ms: 1 });
    }
  };
  return { scheduler, addWorker, advance, stall, runsOf, finishAll, lines, workers };
}

const tick: JobSpec = { name: "tick", every: 100, overlap: false };

describe("PoolScheduler", () => {
  test("each tick goes to one worker of four, in turn", () => {
    const pool = setup();
    for (const slot of [1, 2, 3, 4]) pool.addWorker(slot, [tick]);
    const perWorker = new Map<number, number>();
    let runs = 0;
    for (let t = 100; t <= 5000; t += 100) {
      pool.advance(t);
      for (const w of pool.workers) for (const m of w.sent) if (m.type === "schedule-run") perWorker.set(w.slot, (perWorker.get(w.slot) ?? 0) + 1), runs++;
      pool.finishAll();
    }
    assert.equal(runs, 50);
    assert.deepEqual([...perWorker.values()], [13, 13, 12, 12]);
  });

  test("a tick that finds the run still going is skipped and counted, once logged", () => {
    const pool = setup();
    pool.addWorker(1, [tick]);
    pool.advance(350);
    assert.equal(pool.runsOf("tick").length, 1);
    const status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.runs, status.skips, status.running], [1, 2, 1]);
    assert.equal(pool.lines.filter((l) => l.includes("still running")).length, 1);
  });

  test("with overlap: true, every tick starts a run", () => {
    const pool = setup();
    pool.addWorker(1, [{ ...tick, overlap: true }]);
    pool.advance(350);
    assert.equal(pool.runsOf("tick").length, 3);
  });

  test("a worker that exits mid-run fails the run and frees the lock; the next tick goes elsewhere", async () => {
    const pool = setup();
    const [one, two] = [pool.addWorker(1, [tick]), pool.addWorker(2, [tick])];
    pool.advance(100);
    const busy = one.sent.length ? one : two;
    await busy.die();
    const status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.failures, status.running, status.lastResult], [1, 0, "failed"]);
    assert.match(status.lastError!, /worker \d \(pid 10\d\) exited during the run/);
    busy.sent.length = 0;
    pool.advance(200);
    assert.equal(busy.sent.length, 0);
    assert.equal(pool.runsOf("tick").length, 1);
  });

  test("a job's error is kept for status; the next tick still runs", () => {
    const pool = setup();
    const worker = pool.addWorker(1, [tick]);
    pool.advance(100);
    const run = worker.sent.pop() as Extract<SupervisorMessage, { type: "schedule-run" }>;
    pool.scheduler.onMessage(worker, { type: "schedule-done", id: run.id, ms: 5, error: "Error: nope" });
    pool.advance(200);
    const status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.runs, status.failures, status.lastError], [2, 1, "Error: nope"]);
  });

  test("a pause fires once and counts the missed ticks", () => {
    const pool = setup();
    pool.addWorker(1, [tick]);
    pool.advance(100);
    pool.finishAll();
    pool.advance(150);
    // The timer due at 200 only fires at 1250: ticks 200..1200 passed, 1200 runs.
    pool.stall(1250);
    const status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.runs, status.missed], [2, 10]);
  });

  test("the newest ready worker's list is the schedule; an unchanged job keeps its clock and counters", () => {
    const pool = setup();
    pool.addWorker(1, [tick, { name: "old", every: 1000, overlap: false }]);
    pool.advance(100);
    pool.finishAll();
    pool.addWorker(2, [tick, { name: "new", cron: "* * * * * *", overlap: false }]);
    assert.deepEqual(pool.scheduler.status().map((j) => [j.name, j.runs]), [["tick", 1], ["new", 0]]);
    pool.advance(200);
    // Worker 1 does not know "new": only worker 2 may run it.
    assert.equal(pool.runsOf("tick").length, 1);
  });
});

describe("PoolScheduler timeouts", () => {
  test("a run past its timeout fails, is aborted, frees the lock; its late answer is ignored", () => {
    const pool = setup();
    const worker = pool.addWorker(1, [{ ...tick, timeout: 150 }]);
    pool.advance(100);
    const first = worker.sent.find((m) => m.type === "schedule-run")!;
    pool.advance(260);
    assert.deepEqual(worker.sent.find((m) => m.type === "schedule-abort"), {
      type: "schedule-abort", id: (first as { id: number }).id, reason: 'Scheduled job "tick" timed out after 150 ms on worker 1',
    });
    let status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.failures, status.running, status.skips, status.lastError], [1, 0, 1, "timed out after 150 ms on worker 1"]);
    pool.scheduler.onMessage(worker, { type: "schedule-done", id: (first as { id: number }).id, ms: 400 });
    pool.advance(300);
    status = pool.scheduler.status()[0]!;
    assert.deepEqual([status.runs, status.failures, status.running], [2, 1, 1]);
  });

  test("a run that ends in time cancels its timeout", () => {
    const pool = setup();
    const worker = pool.addWorker(1, [{ ...tick, timeout: 150 }]);
    pool.advance(100);
    pool.finishAll();
    pool.advance(260);
    assert.equal(worker.sent.filter((m) => m.type === "schedule-abort").length, 0);
    assert.equal(pool.scheduler.status()[0]!.failures, 0);
  });
});
