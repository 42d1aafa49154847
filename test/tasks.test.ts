import assert from "node:assert/strict";
import { after, test } from "node:test";
import { describeTargets } from "./harness/describe-targets.ts";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { statusJson, waitForStatus } from "./harness/supervision.ts";
import { freePort } from "./harness/ports.ts";
import { fixture } from "./harness/targets.ts";

after(killAll);

interface Answer {
  status: number;
  value?: unknown;
  error?: { code: string; message: string; cause?: string };
  /** The round trip as the HTTP worker measured it. */
  ms: number;
}

interface TaskCounters {
  workers: number; queued: number; delayed: number; running: number; done: number; failed: number; retried: number; lost: number;
}

const tasksOf = (status: object) => (status as { tasks: TaskCounters }).tasks;

/** Calls tasks.run (or dispatch) in the app through its /run (/dispatch) route. */
async function call(server: LskyProcess, name: string, payload?: unknown, options: Record<string, number> = {}, path = "/run"): Promise<Answer> {
  const query = new URLSearchParams({ name, payload: JSON.stringify(payload ?? null) });
  for (const [key, value] of Object.entries(options)) query.set(key, String(value));
  const response = await fetch(`${server.url}${path}?${query}`);
  return { status: response.status, ...(await response.json()) as Omit<Answer, "status"> };
}

// A timer never fires before its time; the supervisor's and the worker's
// clocks are read a few ms apart, so the round trip may look up to this much shorter.
const DELAY_SLACK_MS = 5;
// The most a 500 ms delay may overrun on a loaded 2-core host before the test calls it not honoured.
const DELAY_TOLERANCE_MS = 3000;

describeTargets("tasks", { binaryStandsForBun: true }, (target) => {
  let server: LskyProcess;
  let admin: string;

  test("tasks.run resolves with the handler's result, computed on a task worker", async () => {
    const adminPort = await freePort();
    admin = `http://127.0.0.1:${adminPort}`;
    server = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--task-workers", "2", "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`]);
    const answer = await call(server, "echo", { hello: ["wörld", 1, null] });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    const value = answer.value as { payload: unknown; kind: string; attempt: number; workerId: number; pid: number; id: string };
    assert.deepEqual(value.payload, { hello: ["wörld", 1, null] });
    assert.equal(value.kind, "task");
    assert.equal(value.attempt, 1);
    assert.match(value.id, /^t\d+$/);
    const status = await statusJson(target, server.port);
    const taskPids = (status as unknown as { pools: { name: string; workers: { pid: number }[] }[] }).pools.find((p) => p.name === "task")!.workers.map((w) => w.pid);
    assert.ok(taskPids.includes(value.pid), `ran on a task worker (${taskPids.join(", ")}), not on ${value.pid}`);
    assert.ok(!status.workers.some((w) => w.pid === value.pid), "not on an HTTP worker");
    const dispatched = await call(server, "echo", 1, {}, "/dispatch");
    assert.match(String(dispatched.value), /^t\d+$/);
  });

  test(`delay is honoured: a 500 ms delay takes at least 500 ms (less ${DELAY_SLACK_MS} ms of clock skew), at most ${DELAY_TOLERANCE_MS} ms more`, async (t) => {
    const answer = await call(server, "echo", null, { delay: 500 });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    t.diagnostic(`a 500 ms delay took ${answer.ms.toFixed(1)} ms`);
    assert.ok(answer.ms >= 500 - DELAY_SLACK_MS, `took ${answer.ms} ms`);
    assert.ok(answer.ms < 500 + DELAY_TOLERANCE_MS, `took ${answer.ms} ms`);
  });

  test("tries: a failing handler is retried with backoff; past its tries it fails with TASK_FAILED and its error as cause", async () => {
    const succeeded = await call(server, "flaky", { succeedOn: 3 }, { tries: 3 });
    assert.deepEqual(succeeded.value, { attempt: 3 });
    const failed = await call(server, "flaky", { succeedOn: 3 }, { tries: 2 });
    assert.equal(failed.status, 500);
    assert.equal(failed.error?.code, "TASK_FAILED");
    assert.equal(failed.error?.cause, "flaky attempt 2");
    // The task worker's line comes through its own pipe, maybe after the answer.
    await server.waitForOutput(/\[t\d\] .*task "flaky" \(t\d+\) failed on task worker \d \(attempt 2 of 2\): Error: flaky attempt 2/);
  });

  test("a task handler can run another task (on the other task worker, through the same queue)", async () => {
    const answer = await call(server, "relay", { deep: true });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    const inner = answer.value as { payload: unknown; kind: string };
    assert.deepEqual(inner.payload, { deep: true });
    assert.equal(inner.kind, "task");
  });

  test("an unknown task is refused with TASK_UNKNOWN", async () => {
    const answer = await call(server, "nope");
    assert.equal(answer.error?.code, "TASK_UNKNOWN");
  });

  test("timeout aborts ctx.signal and fails with TASK_TIMEOUT", async () => {
    const answer = await call(server, "patient", null, { timeout: 300 });
    assert.equal(answer.error?.code, "TASK_TIMEOUT", JSON.stringify(answer));
    assert.match(answer.error!.message, /timed out after 300 ms/);
  });

  test("a handler that ignores the abort and holds its worker is killed after the margin; the worker is replaced", async () => {
    const answer = await call(server, "stubborn", null, { timeout: 300 });
    assert.equal(answer.error?.code, "TASK_TIMEOUT", JSON.stringify(answer));
    const [, pid] = (await server.waitForOutput(/stubborn-start pid=(\d+)/))!;
    await server.waitForOutput(new RegExp(`task worker \\d \\(pid ${pid}\\) ignored the abort of task "stubborn" .*killing it`), 20_000);
    await waitForStatus(target, server.port, "two task workers again, the stubborn one gone", (s) => {
      const pool = (s as unknown as { pools: { name: string; workers: { pid: number; state: string }[] }[] }).pools.find((p) => p.name === "task")!;
      return pool.workers.filter((w) => w.state === "ready").length === 2 && !pool.workers.some((w) => w.pid === Number(pid));
    });
    assert.equal((await call(server, "echo", 2)).status, 200);
  });

  test("a task worker that crashes mid-task: the task is retried when tries remain, else fails with TASK_FAILED", async () => {
    const retried = await call(server, "crash", null, { tries: 2 });
    assert.equal(retried.status, 200, JSON.stringify(retried));
    const crashedPid = Number(server.output().match(/crash-start pid=(\d+)/)![1]);
    const value = retried.value as { attempt: number; pid: number };
    assert.equal(value.attempt, 2);
    assert.notEqual(value.pid, crashedPid);
    const failed = await call(server, "crash", null, { tries: 1 });
    assert.equal(failed.error?.code, "TASK_FAILED", JSON.stringify(failed));
    assert.match(failed.error!.message, /task worker \d \(pid \d+\) exited during the task/);
  });

  test("lsky status and /metrics show the task workers and the queue's counters", async () => {
    try {
      await checkStatus();
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  async function checkStatus(): Promise<void> {
    // Earlier cases killed task workers: their slots may still be in backoff.
    const taskRows = (s: unknown) => (s as { pools: { name: string; workers: { state: string }[] }[] }).pools.find((p) => p.name === "task")!.workers;
    const counters = tasksOf(await waitForStatus(target, server.port, "no task running, both task workers ready", (s) =>
      tasksOf(s).running === 0 && taskRows(s).length === 2 && taskRows(s).every((w) => w.state === "ready")));
    assert.equal(counters.workers, 2);
    assert.equal(counters.queued, 0);
    assert.ok(counters.done >= 6, JSON.stringify(counters));
    assert.ok(counters.failed >= 4, JSON.stringify(counters));
    assert.ok(counters.retried >= 4, JSON.stringify(counters));
    const table = await runLsky(target, ["status", "--port", String(server.port)]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /TASKS\s+WORKERS\s+QUEUED\s+DELAYED\s+RUNNING\s+DONE\s+FAILED\s+RETRIED\s+LOST\n\s*2\s+0\s+0\s+0\s+\d+/);
    assert.match(table.stdout, /\nPOOL\s+ID\s+PID\s+STATE[^\n]*\ntask\s+1\s+\d+\s+ready[^\n]*\ntask\s+2\s+\d+\s+ready/);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    assert.match(metrics, /^lsky_task_workers 2$/m);
    assert.match(metrics, /^lsky_tasks_done_total [1-9]\d*$/m);
    assert.match(metrics, /^lsky_tasks_retried_total [1-9]\d*$/m);
    assert.match(metrics, /^lsky_tasks_lost_total 0$/m);
  }

  test("on stop, queued tasks run before the task workers exit", async () => {
    const one = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--task-workers", "1", "--host", "127.0.0.1"]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await call(one, "nap", { ms: 200 }, {}, "/dispatch")).value));
    const exit = await one.stop();
    assert.equal(exit.code, 0, one.output());
    for (const id of ids) assert.match(one.output(), new RegExp(`nap-done id=${id}\\b`), `task ${id} ran`);
    assert.doesNotMatch(one.output(), /lost/);
  });

  test("a full queue refuses with TASK_QUEUE_FULL; what cannot run before the stop is logged by name and id", async () => {
    const one = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--task-workers", "1", "--task-queue-limit", "2", "--grace-period", "1s", "--host", "127.0.0.1"]);
    const first = await call(one, "nap", { ms: 1 }, { delay: 600_000 }, "/dispatch");
    const second = await call(one, "nap", { ms: 1 }, { delay: 600_000 }, "/dispatch");
    const third = await call(one, "nap", { ms: 1 }, { delay: 600_000 }, "/dispatch");
    assert.equal(third.error?.code, "TASK_QUEUE_FULL", JSON.stringify(third));
    assert.equal(tasksOf(await statusJson(target, one.port)).delayed, 2);
    const exit = await one.stop();
    assert.equal(exit.code, 0, one.output());
    for (const id of [first.value, second.value]) assert.match(one.output(), new RegExp(`task "nap" \\(${id}\\) lost: the server stopped`));
  });

  test("--task-workers 0: no task worker starts, and tasks.run rejects with TASK_NO_WORKERS", async () => {
    const none = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--task-workers", "0", "--host", "127.0.0.1"]);
    const answer = await call(none, "echo", 1);
    assert.equal(answer.error?.code, "TASK_NO_WORKERS", JSON.stringify(answer));
    const status = await statusJson(target, none.port);
    assert.equal(tasksOf(status).workers, 0);
    assert.equal((await none.stop()).code, 0);
  });

  test("by default (auto) an app that exports tasks gets one task worker, an app without none", async () => {
    const auto = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    try {
      assert.equal((await call(auto, "echo", "auto")).status, 200);
      assert.equal(tasksOf(await statusJson(target, auto.port)).workers, 1);
    } finally {
      assert.equal((await auto.stop()).code, 0);
    }
    const plain = await startLsky(target, [fixture("hello.js"), "--workers", "1", "--host", "127.0.0.1"]);
    try {
      const status = await statusJson(target, plain.port);
      assert.equal(tasksOf(status).workers, 0);
      assert.deepEqual((status as unknown as { pools: unknown[] }).pools ?? [], []);
    } finally {
      assert.equal((await plain.stop()).code, 0);
    }
  });

  test("on reload, the running task finishes on the old task worker and the queued ones run on the new one", async () => {
    const one = await startLsky(target, [fixture("tasks-app.ts"), "--workers", "1", "--task-workers", "1", "--host", "127.0.0.1"]);
    try {
      const oldPid = Number(((await call(one, "echo", 0)).value as { pid: number }).pid);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(String((await call(one, "nap", { ms: 500 }, {}, "/dispatch")).value));
      const reload = await runLsky(target, ["reload", "--port", String(one.port)]);
      assert.equal(reload.code, 0, reload.stdout + reload.stderr);
      for (const id of ids) await one.waitForOutput(new RegExp(`nap-done id=${id}\\b`), 20_000);
      const newPid = Number(((await call(one, "echo", 1)).value as { pid: number }).pid);
      assert.notEqual(newPid, oldPid, "the task worker was replaced");
      assert.equal(tasksOf(await statusJson(target, one.port)).lost, 0);
    } finally {
      assert.equal((await one.stop()).code, 0);
    }
    assert.doesNotMatch(one.output(), /lost/);
  });
});
