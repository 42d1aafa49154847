// Scheduled jobs: each tick runs once in the whole pool, on one worker.
// "beat" tells every worker about itself over the bus, so any worker can
// answer how many beats the pool has had.
import type { Env, LskyGlobal, ScheduleContext, ScheduledJob } from "lsky";

const { bus } = (globalThis as unknown as { lsky: LskyGlobal }).lsky;
const seen = { beats: 0, last: null as null | { worker: number; at: string } };
bus.subscribe("beat", (data) => {
  seen.beats++;
  seen.last = data as { worker: number; at: string };
});

const schedule: ScheduledJob[] = [
  {
    name: "beat",
    every: "1s",
    run(ctx: ScheduleContext) {
      ctx.bus.publish("beat", { worker: ctx.workerId, at: ctx.scheduledAt.toISOString() });
    },
  },
  {
    name: "minute",
    cron: "0 * * * * *",
    run(ctx: ScheduleContext) {
      console.log(`a new minute, seen by worker ${ctx.workerId}: ${ctx.scheduledAt.toISOString()}`);
    },
  },
];

export default {
  fetch: (_request: Request, env: Env) => Response.json({ worker: env.bus.workerId, ...seen }),
  schedule,
};
