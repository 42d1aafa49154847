import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClaimedJob, DurableQueue } from "../cluster/durable-queue.ts";
import type { Logger } from "../log.ts";
import type { DurableAttempt, DurableEnd } from "../tasks/durable.ts";
import type { TaskSupervisorMessage } from "../tasks/messages.ts";
import { DurableTasks } from "./durable-tasks.ts";

const job = (id: string, fails = 0): ClaimedJob => ({ id, name: "a", payload: "1", tries: 3, timeout: 0, attempt: fails + 1, fails, token: `n/${fails + 1}` });

/** DurableTasks over a fake Redis queue and a fake local queue with `free` task workers. */
function setup(options: { up?: boolean; enqueue?: () => Promise<string> } = {}) {
  const calls: string[] = [];
  const waiting: ClaimedJob[] = [];
  const lines: string[] = [];
  const started: Array<{ attempt: DurableAttempt; end: DurableEnd }> = [];
  let free = 1;
  let claims = 0;
  const queue: DurableQueue = {
    enqueue: options.enqueue ?? (async () => "d1"),
    claim: async () => (claims++, waiting.shift()),
    extend: async () => true,
    ack: async (j) => (calls.push(`ack ${j.id}`), true),
    ackAndClaim: async (j) => (calls.push(`ackAndClaim ${j.id}`), { acked: true, next: waiting.shift() }),
    fail: async (j, backoff) => (calls.push(`fail ${j.id} ${backoff}`), j.fails + 1 < j.tries ? "retry" : "dropped"),
    release: async (j) => (calls.push(`release ${j.id}`), true),
    reap: async () => ({ returned: 0, ready: 0, active: 0, delayed: 0 }),
  };
  const tasks = {
    names: new Set(["a"]),
    freeRunners: () => free,
    runDurable: (attempt: DurableAttempt, end: DurableEnd) => (free--, started.push({ attempt, end })),
  };
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as Logger;
  const durable = new DurableTasks({ queue, tasks, visibility: 30_000, pollMs: 100, isUp: () => options.up ?? true, log });
  const idle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { durable, waiting, started, calls, lines, idle, setFree: (n: number) => (free = n), claims: () => claims };
}

test("claims while a task worker is free; a result acks, a failure with tries left goes back with its backoff, the last one is dropped and logged", async () => {
  const { durable, waiting, started, calls, lines, idle, setFree } = setup();
  waiting.push(job("d1"), job("d2", 2));
  durable.wake();
  await idle();
  assert.deepEqual(started.map((s) => s.attempt.id), ["d1"], "one free worker: one claim");
  started[0]!.end({ result: "1" });
  setFree(1);
  durable.wake();
  await idle();
  assert.deepEqual(started.map((s) => s.attempt.id), ["d1", "d2"]);
  started[1]!.end({ error: { code: "TASK_FAILED", message: "boom" } });
  await idle();
  assert.deepEqual(calls, ["ack d1", "fail d2 400"]);
  assert.match(lines.join("\n"), /dispatched durable task "a" \(d2\) failed: boom/);
  await durable.close();
  assert.deepEqual({ ...durable.status(), ready: 0 }, { dispatched: 0, claimed: 2, done: 1, failed: 1, retried: 0, returned: 0, givenBack: 0, running: 0, ready: 0, active: 0, delayed: 0 });
});

test("a result claims the next job in the call that acks it, for the worker it leaves free; nothing else claims for that worker meanwhile; an empty queue adds no claim", async () => {
  const { durable, waiting, started, calls, idle, setFree, claims } = setup();
  waiting.push(job("d1"), job("d2"));
  durable.wake();
  await idle();
  assert.deepEqual([started.map((s) => s.attempt.id), claims()], [["d1"], 1]);
  // The local queue frees the task worker before it reports the end, as TaskQueue does.
  setFree(1);
  started[0]!.end({ result: "1" });
  durable.wake(); // a dispatch arriving meanwhile: the free worker is spoken for
  await idle();
  assert.deepEqual([started.map((s) => s.attempt.id), claims()], [["d1", "d2"], 1]);
  setFree(1);
  started[1]!.end({ result: "2" });
  await idle();
  assert.deepEqual(calls, ["ackAndClaim d1", "ackAndClaim d2"]);
  assert.equal(claims(), 1, "the empty queue's answer came with the ack");
  await durable.close();
  assert.deepEqual([durable.status().claimed, durable.status().done], [2, 2]);
});

test("once a claim found the queue empty, a result only acks: the next dispatch's own claim finds its job", async () => {
  const { durable, waiting, started, calls, idle, setFree, claims } = setup();
  setFree(2);
  waiting.push(job("d1"));
  durable.wake();
  await idle();
  assert.deepEqual([started.map((s) => s.attempt.id), claims()], [["d1"], 2], "the second idle worker's claim found nothing");
  setFree(2);
  started[0]!.end({ result: "1" });
  await idle();
  assert.deepEqual(calls, ["ack d1"]);
  await durable.close();
});

test("a dispatch that comes while an ack-and-claim is on its way is claimed once it answers, even when it found nothing", async () => {
  const { durable, waiting, started, idle, setFree, claims } = setup();
  waiting.push(job("d1"));
  durable.wake();
  await idle();
  setFree(1);
  started[0]!.end({ result: "1" }); // its claim reaches Redis before the dispatch below
  waiting.push(job("d2"));
  durable.wake();
  await idle();
  assert.deepEqual([started.map((s) => s.attempt.id), claims()], [["d1", "d2"], 2]);
  started[1]!.end({ result: "2" });
  await durable.close();
});

test("a task the server could not finish is given back, and close() waits for that", async () => {
  const { durable, waiting, started, calls, idle } = setup();
  waiting.push(job("d1"));
  durable.wake();
  await idle();
  durable.stopClaiming();
  started[0]!.end({ lost: true });
  await durable.close();
  assert.deepEqual(calls, ["release d1"]);
  assert.equal(durable.status().givenBack, 1);
});

test("a durable dispatch with Redis away, or failing, is refused with TASK_CLUSTER_DOWN; an unknown name with TASK_UNKNOWN", async () => {
  const sent: TaskSupervisorMessage[] = [];
  const from = { pid: 1, send: (m: TaskSupervisorMessage) => (sent.push(m), true) };
  const submit = (name: string) => ({ type: "task-submit" as const, ref: sent.length + 1, name, payload: "1", spec: { delay: 0, tries: 1, timeout: 0, durable: true }, wait: false });
  setup({ up: false }).durable.submit(from, submit("a"));
  const failing = setup({ enqueue: () => Promise.reject(new Error("Connection is closed.")) });
  failing.durable.submit(from, submit("a"));
  await failing.idle();
  failing.durable.submit(from, submit("nope"));
  const working = setup();
  working.durable.submit(from, submit("a"));
  await working.idle();
  assert.deepEqual(sent.map((m) => (m.type === "task-result" ? m.error?.code : m.type)), ["TASK_CLUSTER_DOWN", "TASK_CLUSTER_DOWN", "TASK_UNKNOWN", "task-accepted"]);
  assert.match(JSON.stringify(sent[1]), /Connection is closed/);
  assert.equal(working.durable.status().dispatched, 1);
});
