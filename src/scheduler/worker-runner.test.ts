import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyBus } from "../bus/app-api.ts";
import type { WorkerMessage } from "../bus/protocol.ts";
import type { ScheduleContext } from "./app-api.ts";
import { createScheduleRunner } from "./worker-runner.ts";

function setup(schedule: unknown[]) {
  const sent: WorkerMessage[] = [];
  const errors: string[] = [];
  const runner = createScheduleRunner({ workerId: 3, bus: {} as LskyBus, send: (m) => (sent.push(m), true), logError: (l) => errors.push(l) });
  const specs = runner.load({ fetch: () => new Response(), schedule });
  return { runner, specs, sent, errors };
}

test("runs the job the supervisor names, with its context, and reports the end", async () => {
  let seen: ScheduleContext | undefined;
  const { runner, specs, sent } = setup([{ name: "a", every: "1s", run: (ctx: ScheduleContext) => void (seen = ctx) }]);
  assert.deepEqual(specs, [{ name: "a", every: 1000, overlap: false }]);
  runner.receive["schedule-run"]({ type: "schedule-run", id: 7, name: "a", scheduledAt: 5000 });
  await runner.idle(1000);
  assert.deepEqual([seen?.name, seen?.workerId, seen?.runId, seen?.scheduledAt.getTime()], ["a", 3, 7, 5000]);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.type === "schedule-done" && sent[0]!.error, undefined);
});

test("a throw is logged with the job's name and reported", async () => {
  const { runner, sent, errors } = setup([{ name: "b", every: "1s", run: () => Promise.reject(new TypeError("nope")) }]);
  runner.receive["schedule-run"]({ type: "schedule-run", id: 1, name: "b", scheduledAt: 0 });
  await runner.idle(1000);
  assert.match(errors[0]!, /^scheduled job "b" failed on worker 3: TypeError: nope/);
  assert.deepEqual(sent[0], { type: "schedule-done", id: 1, ms: (sent[0] as { ms: number }).ms, error: "TypeError: nope" });
});

test("an abort from the supervisor reaches the job's signal", async () => {
  const { runner, sent } = setup([{
    name: "c", every: "1s",
    run: (ctx: ScheduleContext) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
  }]);
  runner.receive["schedule-run"]({ type: "schedule-run", id: 2, name: "c", scheduledAt: 0 });
  runner.receive["schedule-abort"]({ type: "schedule-abort", id: 2, reason: "timed out" });
  await runner.idle(1000);
  assert.equal((sent[0] as { error?: string }).error, "Error: timed out");
});
