import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { describeTargets } from "./harness/describe-targets.ts";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { hasRedisServer, killAllRedis, type RedisServer, startRedis } from "./harness/redis.ts";
import { waitForStatus } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(() => {
  killAll();
  killAllRedis();
});

const INTERVAL_MS = 200;
const WINDOW_MS = 5000;
const EXPECTED = WINDOW_MS / INTERVAL_MS;
const TOLERANCE = 2;
// Short, so the kill case takes seconds; the default is 5 s.
const LOCK_TTL_MS = 1000;

interface RunLine {
  phase: "start" | "hold" | "end";
  tick: number;
  node: string;
  fence: number;
}

function readRuns(file: string): RunLine[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(/^(start|hold|end) tick=(\d+) node=(\S+) fence=(\d+)$/gm)]
    .map((m) => ({ phase: m[1] as RunLine["phase"], tick: Number(m[2]), node: m[3]!, fence: Number(m[4]) }));
}

const startsOf = (file: string) => readRuns(file).filter((r) => r.phase === "start");

/** Every tick ran at most once in the cluster, and (unless Redis restarted empty) the fencing tokens rise with the ticks. */
function checkOnce(file: string, fences = true): void {
  const starts = startsOf(file).sort((a, b) => a.tick - b.tick);
  const seen = new Map<number, string>();
  for (const run of starts) {
    assert.ok(!seen.has(run.tick), `tick ${run.tick} ran twice: on ${seen.get(run.tick)} and on ${run.node}`);
    seen.set(run.tick, run.node);
  }
  for (let i = 1; fences && i < starts.length; i++) {
    assert.ok(starts[i]!.fence > starts[i - 1]!.fence, `fence ${starts[i]!.fence} of tick ${starts[i]!.tick} after fence ${starts[i - 1]!.fence}`);
  }
}

/** Waits until runs cover ticks [from, from + 5 s) and returns how many ran in it; the window is the ticks' own ids. */
async function runsInWindow(file: string, from: number, what: string): Promise<RunLine[]> {
  await waitFor(`runs of "beat" past tick ${from + WINDOW_MS} (${what})`, () => startsOf(file).some((r) => r.tick >= from + WINDOW_MS), 30_000);
  return startsOf(file).filter((r) => r.tick >= from && r.tick < from + WINDOW_MS);
}

type JobRow = { name: string; runs: number; skips: number; cluster?: { elsewhere: number; lockErrors: number; locksLost: number } };
const beatOf = (status: object) => (status as { schedule?: JobRow[] }).schedule?.find((j) => j.name === "beat");

describeTargets("a scheduled job on a cluster of two nodes", {
  skip: hasRedisServer() ? false : "redis-server is not installed (apt-get install redis-server)", binaryStandsForBun: true,
}, (target: Target) => {
  let redis: RedisServer;
  let scratch: string;
  before(async () => {
    redis = await startRedis();
    scratch = mkdtempSync(join(tmpdir(), "lsky-cluster-schedule-"));
  });
  after(async () => {
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  // long: two nodes, a measured window, a kill -9 mid-run, and the survivor's window after it
  test("an every-200ms job runs 25 ± 2 times in 5 s on the two nodes together, each tick once; after a kill -9 mid-run the other node carries on within the lock TTL", async (t) => {
    const file = join(scratch, "runs.log");
    const admins = new Map<LskyProcess, string>();
    const startNode = async (node: string) => {
      const cwd = mkdtempSync(join(scratch, `${node}-`));
      const admin = `127.0.0.1:${await freePort()}`;
      const server = await startLsky(target, [
        fixture("cluster-schedule-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--admin", admin,
        "--cluster-redis", redis.url, "--cluster-node", node, "--cluster-lock-ttl", `${LOCK_TTL_MS}ms`,
      ], { cwd, env: { CLUSTER_RUNS_FILE: file } });
      admins.set(server, `http://${admin}`);
      return server;
    };
    const [a, b] = await Promise.all([startNode("a"), startNode("b")]);
    // Both nodes take part once each has claimed or seen a tick claimed.
    const active = (node: LskyProcess) => waitForStatus(target, node.port, "the job claimed through Redis", (s) => {
      const job = beatOf(s);
      return job !== undefined && job.runs + (job.cluster?.elsewhere ?? 0) > 0;
    });
    const early = new Map<LskyProcess, JobRow | undefined>();
    await Promise.all([a, b].map(async (node) => early.set(node, beatOf(await active(node)))));
    await waitFor("the first run's line", () => startsOf(file).length > 0, 10_000);

    const from = Math.max(...startsOf(file).map((r) => r.tick)) + INTERVAL_MS;
    const steady = await runsInWindow(file, from, "two nodes");
    const nodes = new Set(steady.map((r) => r.node));
    t.diagnostic(`${target.name}: ${steady.length} runs in ${WINDOW_MS} ms on two nodes (${[...nodes].join(", ")})`);
    assert.ok(Math.abs(steady.length - EXPECTED) <= TOLERANCE, `${steady.length} runs of "beat" in ${WINDOW_MS} ms, expected ${EXPECTED} ± ${TOLERANCE}`);
    checkOnce(file);

    // The next run holds on (the fixture waits while the hold file exists), its
    // node alive and renewing the lock; then that node is killed mid-run, so its
    // lock stays behind it until the TTL.
    writeFileSync(`${file}.hold`, "");
    const held = await waitFor("a run held on", () => readRuns(file).find((r) => r.phase === "hold"), 10_000);
    const [victim, survivor] = held.node === "a" ? [a, b] : [b, a];
    victim.signal("SIGKILL");
    const killedAt = Date.now();
    rmSync(`${file}.hold`);
    await victim.exited;

    // The window starts at the first tick after the kill; the dead node's lock costs at most one TTL of ticks.
    const from2 = (Math.floor(killedAt / INTERVAL_MS) + 1) * INTERVAL_MS;
    const afterKill = await runsInWindow(file, from2, "the kill");
    const least = EXPECTED - LOCK_TTL_MS / INTERVAL_MS - TOLERANCE;
    t.diagnostic(`${target.name}: ${afterKill.length} runs in the ${WINDOW_MS} ms from the kill (lock TTL ${LOCK_TTL_MS} ms); the survivor's first tick came ${afterKill.length ? afterKill[0]!.tick - from2 : "-"} ms into it`);
    assert.ok(afterKill.length >= least && afterKill.length <= EXPECTED, `${afterKill.length} runs in the ${WINDOW_MS} ms from the kill, expected ${least} to ${EXPECTED} (one lock TTL of ${LOCK_TTL_MS} ms lost at most)`);
    const since = startsOf(file).filter((r) => r.tick > held.tick);
    assert.ok(since.every((r) => r.node !== held.node), `after the kill only the survivor runs the job: ${JSON.stringify(since)}`);
    // While the held run's node lived, its renewed lock kept the survivor from every tick.
    assert.ok(since[0]!.tick >= killedAt, `the survivor ran tick ${since[0]!.tick} beside the held run, before the kill at ${killedAt}`);
    checkOnce(file);
    // The held run's lock held the survivor back until it expired: those ticks were skipped, not run beside it.
    const job = beatOf(await waitForStatus(target, survivor.port, "status", () => true));
    assert.ok(job && job.skips >= 1, `the survivor skipped ticks while the dead node's lock lived: ${JSON.stringify(job)}`);
    // Redis never went away: no tick went unrun for want of the lock (a tick before the link first came up may have).
    assert.equal(job.cluster?.lockErrors, early.get(survivor)?.cluster?.lockErrors);
    const metrics = await (await fetch(`${admins.get(survivor)}/metrics`)).text();
    assert.match(metrics, /^lsky_schedule_runs_total\{job="beat"\} [1-9]\d*$/m);
    for (const family of ["elsewhere", "lock_errors", "locks_lost"]) assert.match(metrics, new RegExp(`^lsky_schedule_${family}_total\\{job="beat"\\} \\d+$`, "m"));
    await survivor.stop();
  });

  test("with Redis away a node runs no tick and counts each as a lock error; once Redis is back the ticks run again", async () => {
    const file = join(scratch, "away.log");
    const cwd = mkdtempSync(join(scratch, "away-"));
    const node = await startLsky(target, [
      fixture("cluster-schedule-app.ts"), "--workers", "1", "--host", "127.0.0.1",
      "--cluster-redis", redis.url, "--cluster-node", "c", "--cluster-lock-ttl", `${LOCK_TTL_MS}ms`,
    ], { cwd, env: { CLUSTER_RUNS_FILE: file } });
    await waitFor("a first run", () => startsOf(file).length > 0, 15_000);
    const errorsOf = async () => beatOf(await waitForStatus(target, node.port, "status", () => true))?.cluster?.lockErrors ?? 0;
    const errorsBefore = await errorsOf();
    await redis.kill();
    const killedAt = Date.now();
    await waitForStatus(target, node.port, "three ticks not run for want of the lock", (s) => (beatOf(s)?.cluster?.lockErrors ?? 0) >= errorsBefore + 3);
    await node.waitForOutput(/scheduled job "beat" not run: cannot take its cluster lock/);
    const restartedAt = Date.now();
    // A tick claimed just before the kill may still start; none after it until Redis is back.
    const during = startsOf(file).filter((r) => r.tick > killedAt + INTERVAL_MS && r.tick < restartedAt);
    assert.deepEqual(during, [], "no tick ran while Redis was away");
    await redis.restart();
    await waitFor("a run after Redis came back", () => startsOf(file).some((r) => r.tick > restartedAt), 20_000);
    await node.waitForOutput(/scheduled job "beat": the cluster lock is back after \d+ ticks? not run/);
    // Redis came back empty: its fencing counter started over (docs/SCHEDULE.md says so), the ticks did not repeat.
    checkOnce(file, false);
    await node.stop();
  });
});
