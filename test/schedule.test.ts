import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { waitForStatus } from "./harness/supervision.ts";
import { skipBunBesideBinary } from "./harness/slow.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(killAll);

interface JobRow {
  name: string;
  runs: number;
  failures: number;
  skips: number;
  missed: number;
  running: number;
  lastResult: string | null;
  lastError: string | null;
  nextRun: string | null;
}
type WithSchedule = { schedule?: JobRow[] };

interface TickRun {
  run: number;
  pid: number;
  start: number;
  end: number;
}

const TICK_MS = 100;
const WINDOW_MS = 5000;
// Generous for a window measured by the job's own timestamps: a tick's run
// may begin late on a busy host, moving it across the window's edge.
const TOLERANCE = 3;

/** Runs of "tick" that began, from their own start timestamps (a run killed mid-way is counted too). */
function tickStarts(output: string): { pid: number; start: number }[] {
  return [...output.matchAll(/tick-start pid=(\d+) start=(\d+)/g)].map((m) => ({ pid: Number(m[1]), start: Number(m[2]) }));
}

function tickRuns(output: string): TickRun[] {
  return [...output.matchAll(/tick run=(\d+) worker=\d+ pid=(\d+) start=(\d+) end=(\d+)/g)]
    .map((m) => ({ run: Number(m[1]), pid: Number(m[2]), start: Number(m[3]), end: Number(m[4]) }));
}

/**
 * Waits until the job's own timestamps cover [from, from + 5 s), then checks
 * the count of runs begun in it and that no two finished runs overlapped.
 */
async function checkWindow(server: LskyProcess, from: number, what: string): Promise<{ pids: Set<number>; count: number }> {
  await waitFor(`runs of "tick" past ${WINDOW_MS} ms after ${what}`, () => tickStarts(server.output()).some((s) => s.start >= from + WINDOW_MS), 60_000);
  const inWindow = tickStarts(server.output()).filter((s) => s.start >= from && s.start < from + WINDOW_MS);
  const expected = WINDOW_MS / TICK_MS;
  assert.ok(Math.abs(inWindow.length - expected) <= TOLERANCE, `${what}: ${inWindow.length} runs of "tick" began in ${WINDOW_MS} ms, expected ${expected} ± ${TOLERANCE}`);
  const runs = tickRuns(server.output()).sort((a, b) => a.start - b.start);
  for (let i = 1; i < runs.length; i++) {
    const [before, run] = [runs[i - 1]!, runs[i]!];
    assert.ok(run.start >= before.end, `${what}: run ${run.run} (pid ${run.pid}) began at ${run.start}, before run ${before.run} (pid ${before.pid}) ended at ${before.end}`);
  }
  assert.equal(new Set(runs.map((r) => r.run)).size, runs.length, "every run has its own id");
  return { pids: new Set(inWindow.map((s) => s.pid)), count: inWindow.length };
}

function jobOf(status: object, name: string): JobRow | undefined {
  return (status as WithSchedule).schedule?.find((job) => job.name === name);
}

for (const target of selectedTargets()) {
  const skip = skipBunBesideBinary(target, selectedTargets());
  describe(`scheduler on ${target.name}`, { skip }, () => {
    let server: LskyProcess;
    let admin: string;

    test("with 4 workers an every-100ms job runs once per tick: 50 ± 3 runs in 5 s, never two at once", async (t) => {
      const adminPort = await freePort();
      admin = `http://127.0.0.1:${adminPort}`;
      server = await startLsky(target, [fixture("schedule-app.ts"), "--workers", "4", "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`], {
        env: { SCHEDULE_JOBS: "tick,second,boom" },
      });
      // The window starts once every worker is ready, so the pool is the whole pool.
      await waitForStatus(target, server.port, "4 ready workers", (s) => s.workers.filter((w) => w.state === "ready").length === 4);
      const from = await waitFor("a run of tick", () => tickStarts(server.output()).at(-1)?.start);
      const { pids, count } = await checkWindow(server, from, "a steady pool");
      t.diagnostic(`${count} runs began in ${WINDOW_MS} ms on ${pids.size} workers`);
      assert.ok(pids.size > 1, `the runs were spread over the workers, not all on one: ${[...pids].join(", ")}`);
    });

    test("a cron job with seconds fires on the second it names, once", async (t) => {
      const lines = await waitFor("three runs of the */2 s cron job", () => {
        const found = [...server.output().matchAll(/second scheduled=(\d+) start=(\d+)/g)];
        return found.length >= 3 && found.map((m) => ({ scheduled: Number(m[1]), start: Number(m[2]) }));
      }, 30_000);
      for (const [i, line] of lines.entries()) {
        assert.equal(line.scheduled % 2000, 0, `run ${i} is scheduled on an even second: ${line.scheduled}`);
        assert.ok(line.start >= line.scheduled, `run ${i} did not start before its second: ${line.start} < ${line.scheduled}`);
        if (i > 0) assert.equal(line.scheduled - lines[i - 1]!.scheduled, 2000, "one run per matching second");
      }
      t.diagnostic(`began ${lines.map((l) => l.start - l.scheduled).join(", ")} ms after their second`);
    });

    test("a throwing job is logged with its name and counted; its next tick still runs", async () => {
      assert.match(server.output(), /scheduled job "boom" failed on worker \d: Error: boom, deliberately/);
      const status = await waitForStatus(target, server.port, "two failed runs of boom", (s) => (jobOf(s, "boom")?.failures ?? 0) >= 2);
      const boom = jobOf(status, "boom")!;
      assert.equal(boom.lastResult, "failed");
      assert.match(boom.lastError ?? "", /boom, deliberately/);
      assert.ok(boom.runs - boom.running === boom.failures, JSON.stringify(boom));
      const tick = jobOf(status, "tick")!;
      assert.ok(tick.runs >= 50 && tick.failures === 0 && tick.nextRun, JSON.stringify(tick));
      const table = await runLsky(target, ["status", "--port", String(server.port)]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /JOB\s+TIMING\s+NEXT RUN\s+LAST RUN\s+LAST TOOK\s+LAST RESULT\s+RUNS\s+FAILURES\s+SKIPS/);
      assert.match(table.stdout, /\ntick\s+every 100ms\s+\d\d:\d\d:\d\d\.\d{3}/);
      assert.match(table.stdout, /\nsecond\s+cron \*\/2 \* \* \* \* \*/);
      const metrics = await (await fetch(`${admin}/metrics`)).text();
      assert.match(metrics, /^lsky_schedule_runs_total\{job="tick"\} \d+$/m);
      assert.match(metrics, /^lsky_schedule_failures_total\{job="boom"\} [1-9]\d*$/m);
      assert.match(metrics, /^lsky_schedule_skips_total\{job="tick"\} \d+$/m);
    });

    test("through a rolling reload, still once per tick", async (t) => {
      const oldPids = new Set((await waitForStatus(target, server.port, "ready workers", () => true)).workers.map((w) => w.pid));
      const from = tickStarts(server.output()).at(-1)!.start;
      const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
      assert.equal(reload.code, 0, reload.stdout + reload.stderr);
      const { pids, count } = await checkWindow(server, from, "a reload");
      t.diagnostic(`${count} runs began in the ${WINDOW_MS} ms from the reload`);
      const latest = tickStarts(server.output()).at(-1)!;
      assert.ok(!oldPids.has(latest.pid), `after the reload a new worker runs the job (pid ${latest.pid}); ran on ${[...pids].join(", ")}`);
    });

    test("after kill -9 of the worker running it, still once per tick", async (t) => {
      const seen = tickStarts(server.output()).length;
      const victim = await waitFor("a run of tick to begin", () => tickStarts(server.output())[seen]);
      process.kill(victim.pid, "SIGKILL");
      const { pids, count } = await checkWindow(server, victim.start, "a kill -9");
      t.diagnostic(`${count} runs began in the ${WINDOW_MS} ms from the kill`);
      assert.ok(pids.size > 1, "the other workers took the ticks");
      await server.waitForOutput(new RegExp(`worker \\d \\(pid ${victim.pid}\\) crashed`));
    });

    test("stops with exit code 0", async () => {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });
  });

  describe(`scheduler: a run whose worker dies on ${target.name}`, { skip }, () => {
    test("is counted failed, its lock released, and the next tick goes to another worker; a run past its timeout too", async () => {
      const server = await startLsky(target, [fixture("schedule-app.ts"), "--workers", "2", "--host", "127.0.0.1", "--grace-period", "1"], {
        env: { SCHEDULE_JOBS: "hang,stuck" },
      });
      try {
        await hangAndKill(target, server);
        await timedOut(target, server);
      } finally {
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      }
    });
  });
}

async function hangAndKill(target: Target, server: LskyProcess): Promise<void> {
  const [, first] = await server.waitForOutput(/hang run=\d+ pid=(\d+)/, 30_000);
  // While the run hangs, its ticks are skipped, not started beside it.
  const skipping = await waitForStatus(target, server.port, "skipped ticks of hang", (s) => (jobOf(s, "hang")?.skips ?? 0) >= 2);
  assert.deepEqual([jobOf(skipping, "hang")!.runs, jobOf(skipping, "hang")!.running], [1, 1]);
  assert.match(server.output(), /scheduled job "hang" is still running from an earlier tick: skipping ticks/);
  process.kill(Number(first), "SIGKILL");
  const [, second] = await server.waitForOutput(new RegExp(`hang run=\\d+ pid=(?!${first}\\b)(\\d+)`), 30_000);
  assert.notEqual(second, first);
  assert.match(server.output(), new RegExp(`scheduled job "hang" failed: worker \\d \\(pid ${first}\\) exited during the run`));
  const status = await waitForStatus(target, server.port, "the failed run counted", (s) => jobOf(s, "hang")?.failures === 1);
  const hang = jobOf(status, "hang")!;
  assert.match(hang.lastError ?? "", /exited during the run/);
  assert.equal(hang.running, 1, "the new run holds the lock, the dead one does not");
}

async function timedOut(target: Target, server: LskyProcess): Promise<void> {
  await server.waitForOutput(/stuck aborted run=\d+: Scheduled job "stuck" timed out after 200 ms on worker \d[\s\S]*stuck aborted run=\d+/, 30_000);
  assert.match(server.output(), /scheduled job "stuck" failed: timed out after 200 ms on worker \d/);
  const status = await waitForStatus(target, server.port, "two timed-out runs of stuck", (s) => (jobOf(s, "stuck")?.failures ?? 0) >= 2);
  const stuck = jobOf(status, "stuck")!;
  assert.match(stuck.lastError ?? "", /^timed out after 200 ms on worker \d$/);
  assert.equal(stuck.skips, 0, "the lock is freed at the timeout, before the next tick");
}
