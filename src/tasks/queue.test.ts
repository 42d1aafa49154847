import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Logger } from "../log.ts";
import type { TaskSpec, TaskSupervisorMessage } from "./messages.ts";
import { backoffMs, TaskQueue, type TaskRunner, type TaskSubmitter } from "./queue.ts";

type Peer = TaskRunner & { sent: TaskSupervisorMessage[]; killed: boolean };

/** A queue with a hand-moved clock, fake task workers and a fake submitter that record what they are sent. */
function setup(limit = 10, enabled = true) {
  let now = 0;
  const timers = new Set<{ at: number; wake: () => void }>();
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as Logger;
  const queue = new TaskQueue({
    limit, log, killMargin: 1000, enabled: () => enabled,
    setTimer: (ms, wake) => {
      const timer = { at: now + ms, wake };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
  });
  const peer = (slot: number): Peer => ({
    slot, pid: 100 + slot, state: "ready", sent: [], killed: false,
    send(message) {
      this.sent.push(message);
      return true;
    },
    kill() {
      this.killed = true;
    },
  });
  /** Moves the clock, firing due timers in order. */
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers.delete(due);
      now = due.at;
      due.wake();
    }
    now = until;
  };
  const app: TaskSubmitter & { sent: TaskSupervisorMessage[] } = { pid: 1, sent: [], send(m) { this.sent.push(m); return true; } };
  let ref = 0;
  const submit = (name: string, spec: Partial<TaskSpec> = {}, wait = true) =>
    queue.submit(app, { type: "task-submit", ref: ++ref, name, payload: "null", spec: { delay: 0, tries: 1, timeout: 0, ...spec }, wait });
  const runs = (p: Peer) => p.sent.filter((m) => m.type === "task-run") as Extract<TaskSupervisorMessage, { type: "task-run" }>[];
  const results = () => app.sent.filter((m) => m.type === "task-result") as Extract<TaskSupervisorMessage, { type: "task-result" }>[];
  return { queue, peer, advance, app, submit, runs, results, lines, now: () => now };
}

describe("TaskQueue", () => {
  test("a submitted task goes to an idle task worker; its result goes back to who waits", () => {
    const { queue, peer, submit, runs, results, app } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("a");
    assert.equal(runs(w)[0]!.name, "a");
    queue.onDone(w, { type: "task-done", id: "t1", result: "42" });
    assert.deepEqual(app.sent, [{ type: "task-result", ref: 1, result: "42" }], "a waiting caller hears only the result");
    assert.equal(queue.stats().done, 1);
  });

  test("one task per worker at a time; the next queued task starts when it answers", () => {
    const { queue, peer, submit, runs } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("a");
    submit("b");
    assert.equal(runs(w).length, 1);
    assert.equal(queue.stats().queued, 1);
    queue.onDone(w, { type: "task-done", id: "t1" });
    assert.deepEqual(runs(w).map((r) => r.name), ["a", "b"]);
  });

  test("a delay holds the task on a timer until it is due", () => {
    const { queue, peer, submit, runs, advance } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("later", { delay: 500 });
    assert.equal(queue.stats().delayed, 1);
    advance(499);
    assert.equal(runs(w).length, 0);
    advance(1);
    assert.equal(runs(w).length, 1);
  });

  test("a failed attempt is retried after 100, 200 ms… until its tries are spent, then fails", () => {
    const { queue, peer, submit, runs, results, advance } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("flaky", { tries: 3 });
    const fail = () => queue.onDone(w, { type: "task-done", id: "t1", error: { code: "TASK_FAILED", message: "no" } });
    fail();
    advance(99);
    assert.equal(runs(w).length, 1);
    advance(1);
    assert.equal(runs(w)[1]!.attempt, 2);
    fail();
    advance(200);
    assert.equal(runs(w)[2]!.attempt, 3);
    fail();
    assert.equal(results()[0]!.error?.code, "TASK_FAILED");
    assert.deepEqual({ retried: queue.stats().retried, failed: queue.stats().failed }, { retried: 2, failed: 1 });
    assert.deepEqual([1, 2, 3, 10, 20].map(backoffMs), [100, 200, 400, 30_000, 30_000]);
  });

  test("past its timeout the attempt fails with TASK_TIMEOUT and is aborted; a worker that does not answer within the margin is killed", () => {
    const { queue, peer, submit, results, advance } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("slow", { timeout: 300 });
    advance(300);
    assert.equal(results()[0]!.error?.code, "TASK_TIMEOUT");
    assert.equal(w.sent.at(-1)!.type, "task-abort");
    assert.equal(queue.stats().running, 0);
    submit("next");
    assert.equal(w.sent.filter((m) => m.type === "task-run").length, 1, "the worker is still busy with the timed-out task");
    advance(1000);
    assert.ok(w.killed);
  });

  test("a timed-out worker that answers within the margin is kept, and takes the next task", () => {
    const { queue, peer, submit, runs, advance } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("slow", { timeout: 300 });
    submit("next");
    advance(300);
    queue.onDone(w, { type: "task-done", id: "t1", result: '"late"' });
    assert.equal(runs(w)[1]!.name, "next");
    advance(1000);
    assert.ok(!w.killed);
  });

  test("a task worker that exits mid-task fails the task, or retries it on another worker", () => {
    const { queue, peer, submit, runs, results, advance } = setup();
    const [a, b] = [peer(1), peer(2)];
    queue.addRunner(a);
    submit("crash", { tries: 2 });
    queue.addRunner(b);
    queue.onExit(a);
    advance(100);
    assert.equal(runs(b)[0]!.attempt, 2);
    queue.onExit(b);
    assert.equal(results()[0]!.error?.code, "TASK_FAILED");
    assert.match(results()[0]!.error!.message, /task worker 2 \(pid 102\) exited during the task/);
  });

  test("the queue is bounded: past the limit of waiting tasks a submit is refused with TASK_QUEUE_FULL", () => {
    const { submit, results } = setup(2);
    submit("a");
    submit("b", { delay: 1000 });
    submit("c");
    assert.equal(results()[0]!.error?.code, "TASK_QUEUE_FULL");
  });

  test("unknown names, and no task workers, are refused at once", () => {
    const unknown = setup();
    unknown.queue.names = new Set(["a"]);
    unknown.submit("b");
    assert.equal(unknown.results()[0]!.error?.code, "TASK_UNKNOWN");
    const none = setup(10, false);
    none.submit("a");
    assert.equal(none.results()[0]!.error?.code, "TASK_NO_WORKERS");
  });

  test("refuseWaiting: tasks waiting for a worker or their delay fail, counted failed; none is left behind", () => {
    const { queue, submit, results, advance } = setup();
    submit("a");
    submit("b", { delay: 1000 });
    queue.refuseWaiting({ code: "TASK_NO_WORKERS", message: "none" });
    assert.deepEqual(results().map((r) => r.error?.code), ["TASK_NO_WORKERS", "TASK_NO_WORKERS"]);
    assert.deepEqual(queue.stats(), { queued: 0, delayed: 0, running: 0, done: 0, failed: 2, retried: 0, lost: 0 });
    advance(2000);
    assert.equal(results().length, 2, "the delayed task's timer was cancelled");
  });

  test("dispatch: the id is the answer, the result goes nowhere, a final failure is logged", () => {
    const { queue, peer, submit, app, lines } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("a", {}, false);
    queue.onDone(w, { type: "task-done", id: "t1", error: { code: "TASK_FAILED", message: "Task a failed", cause: { name: "Error", message: "why" } } });
    assert.deepEqual(app.sent, [{ type: "task-accepted", ref: 1, id: "t1" }]);
    assert.match(lines[0]!, /dispatched task "a" \(t1\) failed: Task a failed: why/);
  });

  test("settled() waits for what is queued and running; what is left after it is logged, counted lost, and new tasks are refused", async () => {
    const { queue, peer, submit, results, advance, lines } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("a");
    submit("b", { delay: 60_000 });
    const settled = queue.settled(1000);
    queue.onDone(w, { type: "task-done", id: "t1" });
    advance(1000);
    await settled;
    queue.loseRemaining();
    assert.equal(queue.stats().lost, 1);
    assert.match(lines.join("\n"), /task "b" \(t2\) lost: the server stopped/);
    assert.equal(results().at(-1)!.error?.code, "TASK_FAILED");
    submit("c");
    assert.match(results().at(-1)!.error!.message, /stopping/);
  });

  test("settled() resolves as soon as the last task ends", async () => {
    const { queue, peer, submit } = setup();
    const w = peer(1);
    queue.addRunner(w);
    submit("a");
    const settled = queue.settled(60_000);
    queue.onDone(w, { type: "task-done", id: "t1" });
    await settled;
  });

  test("a durable attempt runs once on a free task worker with its own id and attempt; its outcome goes to its callback, never retried here", () => {
    const { queue, peer, runs, advance } = setup();
    const w = peer(1);
    queue.addRunner(w);
    assert.equal(queue.freeRunners(), 1);
    const outcomes: unknown[] = [];
    queue.runDurable({ id: "d7", name: "a", payload: "1", attempt: 3, tries: 2, timeout: 0 }, (o) => outcomes.push(o));
    assert.equal(queue.freeRunners(), 0);
    assert.deepEqual(runs(w)[0], { type: "task-run", id: "d7", name: "a", payload: "1", attempt: 3, tries: 2, timeout: 0 });
    queue.onDone(w, { type: "task-done", id: "d7", error: { code: "TASK_FAILED", message: "boom" } });
    advance(60_000);
    assert.deepEqual([...outcomes], [{ error: { code: "TASK_FAILED", message: "boom" } }]);
    assert.equal(runs(w).length, 1, "no local retry: the durable queue decides");
    assert.deepEqual(queue.stats(), { queued: 0, delayed: 0, running: 0, done: 0, failed: 0, retried: 0, lost: 0 });
    queue.runDurable({ id: "d8", name: "a", payload: "1", attempt: 1, tries: 1, timeout: 0 }, (o) => outcomes.push(o));
    queue.onDone(w, { type: "task-done", id: "d8", result: "2" });
    assert.deepEqual(outcomes[1], { result: "2" });
  });

  test("at stop a durable task still running is reported lost to its callback (to be given back), not counted lost here", () => {
    const { queue, peer } = setup();
    const w = peer(1);
    queue.addRunner(w);
    const outcomes: unknown[] = [];
    queue.runDurable({ id: "d1", name: "a", payload: "1", attempt: 1, tries: 1, timeout: 0 }, (o) => outcomes.push(o));
    queue.loseRemaining();
    assert.deepEqual(outcomes, [{ lost: true }]);
    assert.equal(queue.stats().lost, 0);
    assert.equal(queue.freeRunners(), 0, "a closed queue takes no more");
  });
});
