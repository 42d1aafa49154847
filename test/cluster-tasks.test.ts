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

// Short, so a dead node's task comes back in about two seconds; the default is 30 s.
const VISIBILITY = "1s";
const TASKS = 6;

interface TaskLine {
  phase: "start" | "end";
  id: string;
  n: number;
  node: string;
  attempt: number;
  at: number;
}

function readLines(file: string): TaskLine[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(/^(start|end) id=(\S+) n=(\d+) node=(\S+) attempt=(\d+) at=(\d+)$/gm)]
    .map((m) => ({ phase: m[1] as TaskLine["phase"], id: m[2]!, n: Number(m[3]), node: m[4]!, attempt: Number(m[5]), at: Number(m[6]) }));
}

type Answer = { id?: string; code?: string; result?: unknown };

async function dispatch(node: LskyProcess, query: string): Promise<Answer> {
  return (await (await fetch(`${node.url}/dispatch?${query}`)).json()) as Answer;
}

type DurableRow = { dispatched: number; claimed: number; done: number; returned: number; givenBack: number };
const durableOf = (status: object) => (status as { tasks?: { durable?: DurableRow } }).tasks?.durable;

describeTargets("durable tasks on a cluster of two nodes", { skip: hasRedisServer() ? false : "redis-server is not installed (apt-get install redis-server)" }, (target: Target) => {
  let redis: RedisServer;
  let scratch: string;
  before(async () => {
    redis = await startRedis();
    scratch = mkdtempSync(join(tmpdir(), "lsky-cluster-tasks-"));
  });
  after(async () => {
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const startNode = async (node: string, file: string, extra: string[] = []) => {
    const cwd = mkdtempSync(join(scratch, `${node}-`));
    return startLsky(target, [
      fixture("cluster-tasks-app.ts"), "--workers", "1", "--task-workers", "1", "--host", "127.0.0.1",
      "--cluster-redis", redis.url, "--cluster-node", node, "--task-visibility-timeout", VISIBILITY, ...extra,
    ], { cwd, env: { CLUSTER_TASKS_FILE: file, CLUSTER_NODE_NAME: node } });
  };

  // long: two nodes, six held tasks, a kill -9 of one node's process group, and every task's end on the survivor
  test("a node killed with -9 mid-task: its task completes on the other node, and no task is lost", async (t) => {
    const file = join(scratch, "kill.log");
    const admin = `127.0.0.1:${await freePort()}`;
    const [a, b] = await Promise.all([startNode("a", file), startNode("b", file, ["--admin", admin])]);
    writeFileSync(`${file}.hold`, "");
    for (let n = 1; n <= TASKS; n++) {
      const answer = await dispatch(a, `n=${n}&durable=1`);
      assert.match(answer.id ?? "", /^d\d+-[0-9a-z]+$/, JSON.stringify(answer));
    }
    const held = await waitFor("a task held on node a", () => readLines(file).find((l) => l.phase === "start" && l.node === "a"), 15_000);
    // The whole process group: the supervisor and its task worker die at once, nothing is given back.
    process.kill(-a.pid, "SIGKILL");
    const killedAt = Date.now();
    await a.exited;
    rmSync(`${file}.hold`);

    const ends = await waitFor(`the ${TASKS} tasks' ends`, () => {
      const done = readLines(file).filter((l) => l.phase === "end");
      return new Set(done.map((l) => l.n)).size === TASKS ? done : undefined;
    }, 20_000);
    const retaken = readLines(file).find((l) => l.phase === "start" && l.id === held.id && l.node === "b")!;
    t.diagnostic(`${target.name}: task ${held.id} held on a at the kill started again on b (attempt ${retaken.attempt}); takeover ${retaken.at - killedAt} ms after the kill (visibility timeout ${VISIBILITY})`);
    assert.deepEqual(ends.map((l) => l.n).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6], "each task ended once");
    assert.ok(ends.every((l) => l.node === "b"), `after the kill only b ends tasks: ${JSON.stringify(ends)}`);
    assert.ok(retaken.attempt > held.attempt, "the same id, a later attempt");
    const status = await waitForStatus(target, b.port, "b's durable counters", (s) => (durableOf(s)?.done ?? 0) >= TASKS - 1 && (durableOf(s)?.returned ?? 0) >= 1);
    assert.ok(durableOf(status)!.claimed >= durableOf(status)!.done);
    const metrics = await (await fetch(`http://${admin}/metrics`)).text();
    assert.match(metrics, /^lsky_tasks_durable_returned_total [1-9]\d*$/m);
    assert.match(metrics, /^lsky_tasks_durable_ready \d+$/m);
    await b.stop();
  });

  test("a node stopped gracefully gives its unfinished durable task back at once, not after the visibility timeout", async (t) => {
    const file = join(scratch, "stop.log");
    // A visibility timeout far longer than the wait below: only the give-back can hand the task over in time.
    const long = ["--task-visibility-timeout", "60s", "--grace-period", "300ms"];
    const [a, b] = await Promise.all([startNode("d", file, long), startNode("e", file, long)]);
    writeFileSync(`${file}.hold`, "");
    // Two tasks: one for each node's single task worker, so one surely runs on d.
    for (const n of [1, 2]) assert.match((await dispatch(a, `n=${n}&durable=1`)).id ?? "", /^d\d+-[0-9a-z]+$/);
    const held = await waitFor("a task held on node d", () => readLines(file).find((l) => l.phase === "start" && l.node === "d"), 15_000);
    await waitFor("both tasks started", () => readLines(file).filter((l) => l.phase === "start").length >= 2, 15_000);
    const stoppedAt = Date.now();
    const exit = await a.stop();
    assert.equal(exit.code, 0);
    await a.waitForOutput(/durable task "work" \(d\d+-[0-9a-z]+\) given back unfinished/);
    rmSync(`${file}.hold`);
    const retaken = await waitFor("the given-back task started on e", () => readLines(file).find((l) => l.phase === "start" && l.id === held.id && l.node === "e"), 20_000);
    t.diagnostic(`${target.name}: given back and started on e ${retaken.at - stoppedAt} ms after the stop began (grace period 300 ms, visibility timeout 60 s)`);
    await waitFor("both tasks ended", () => new Set(readLines(file).filter((l) => l.phase === "end").map((l) => l.n)).size === 2, 20_000);
    await b.stop();
  });

  test("Redis away: a durable dispatch rejects with TASK_CLUSTER_DOWN and a plain one still runs here; once Redis is back durable dispatch works again (with --task-durable)", async () => {
    const file = join(scratch, "away.log");
    // --task-durable: a dispatch that says nothing is durable; durable=0 keeps one in memory.
    const node = await startNode("c", file, ["--task-durable"]);
    const first = await dispatch(node, "n=1");
    assert.match(first.id ?? "", /^d\d+-[0-9a-z]+$/, JSON.stringify(first));
    await waitFor("the first task's end", () => readLines(file).some((l) => l.phase === "end" && l.n === 1), 10_000);
    await redis.kill();
    const refused = await dispatch(node, "n=2&durable=1");
    assert.equal(refused.code, "TASK_CLUSTER_DOWN", JSON.stringify(refused));
    const local = await dispatch(node, "n=3&durable=0");
    assert.match(local.id ?? "", /^t\d+$/, JSON.stringify(local));
    await waitFor("the in-memory task's end", () => readLines(file).some((l) => l.phase === "end" && l.n === 3), 10_000);
    await redis.restart();
    const back = await waitFor("a durable dispatch accepted after Redis came back", async () => {
      const answer = await dispatch(node, "n=4&durable=1");
      if (answer.code && answer.code !== "TASK_CLUSTER_DOWN") throw new Error(JSON.stringify(answer));
      return answer.id;
    }, 20_000);
    assert.match(back, /^d\d+-[0-9a-z]+$/);
    await waitFor("the durable task's end after Redis came back", () => readLines(file).some((l) => l.phase === "end" && l.n === 4), 10_000);
    assert.ok(!readLines(file).some((l) => l.n === 2), "the refused task never ran");
    await node.stop();
  });
});

describeTargets("durable tasks without a cluster", (target: Target) => {
  test("durable: true is refused with TASK_NOT_DURABLE, tasks.run with durable with TASK_INVALID; --task-durable alone keeps dispatch in memory", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "lsky-no-cluster-tasks-"));
    const file = join(scratch, "tasks.log");
    const node = await startLsky(target, [fixture("cluster-tasks-app.ts"), "--workers", "1", "--task-workers", "1", "--host", "127.0.0.1", "--task-durable"], { cwd: scratch, env: { CLUSTER_TASKS_FILE: file } });
    try {
      const refused = await dispatch(node, "n=1&durable=1");
      assert.equal(refused.code, "TASK_NOT_DURABLE", JSON.stringify(refused));
      assert.equal((await dispatch(node, "n=2&durable=1&run=1")).code, "TASK_INVALID");
      const local = await dispatch(node, "n=3");
      assert.match(local.id ?? "", /^t\d+$/, JSON.stringify(local));
      await waitFor("the in-memory task's end", () => readLines(file).some((l) => l.phase === "end" && l.n === 3), 10_000);
      assert.ok(!readLines(file).some((l) => l.n === 1 || l.n === 2), "refused tasks never ran");
    } finally {
      await node.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
