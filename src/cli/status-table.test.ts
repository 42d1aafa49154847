import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { StatusReport } from "../supervisor/status.ts";
import { formatBytes, formatDuration, formatServerList, formatStatus } from "./status-table.ts";

describe("formatDuration", () => {
  const cases: [number, string][] = [
    [0, "0s"], [999, "0s"], [59_999, "59s"], [60_000, "1m00s"], [61_000, "1m01s"],
    [3_599_000, "59m59s"], [3_600_000, "1h00m"], [5_430_000, "1h30m"], [86_399_000, "23h59m"],
    [86_400_000, "1d00h"], [90_000_000, "1d01h"],
  ];
  for (const [ms, text] of cases) {
    test(`${ms} ms is ${text}`, () => assert.equal(formatDuration(ms), text));
  }
});

describe("formatBytes", () => {
  test("unknown (0) shows a dash", () => assert.equal(formatBytes(0), "-"));
  test("under 100 MB keeps one decimal", () => assert.equal(formatBytes(52_428_800), "50.0 MB"));
  test("from 100 MB rounds to whole megabytes", () => assert.equal(formatBytes(157_286_400), "150 MB"));
});

describe("formatStatus", () => {
  const report: StatusReport = {
    pid: 100, version: "0.1.0", engine: "bun", engineVersion: "1.4.5", app: "app.ts", cwd: "/srv/app",
    host: "0.0.0.0", port: 8000, uptime: 65_000,
    supervisor: { rss: 41_943_040, heapUsed: 5_242_880, collected: false },
    workers: [
      { id: 1, pid: 201, state: "ready", uptime: 64_000, requests: 12345, inflight: 2, rss: 52_428_800, restarts: 0, lastExit: null,
        websockets: { open: 3, opened: 5, messagesIn: 10, messagesOut: 12, overflows: 0, refused: 0, closesByCode: { 1000: 2 } } },
      { id: 2, pid: 202, state: "draining", uptime: 5_000, requests: 7, inflight: 0, rss: 0, restarts: 3, lastExit: { reason: "crashed", code: 1, signal: null } },
      { id: 3, pid: 203, state: "ready", uptime: 1_000, requests: 0, inflight: 0, rss: 1_048_576, restarts: 1, lastExit: { reason: "unresponsive", code: null, signal: "SIGKILL" } },
    ],
  };

  test("the side pools' rows follow, a process with no pid (given up, in backoff) shown with dashes", () => {
    const text = formatStatus({
      ...report,
      pools: [{ name: "process:mailer", workers: [
        { id: 1, pid: 301, state: "ready", uptime: 130_000, requests: 0, inflight: 0, rss: 50_537_267, restarts: 2, lastExit: { reason: "crashed", code: null, signal: "SIGKILL" } },
        { id: 2, pid: 0, state: "given-up", uptime: 0, requests: 0, inflight: 0, rss: 0, restarts: 11, lastExit: { reason: "crashed", code: 3, signal: null } },
      ] }],
    });
    const lines = text.split("\n");
    const at = lines.findIndex((line) => line.startsWith("POOL"));
    assert.equal(lines[at - 1], "");
    assert.deepEqual(lines.slice(at, at + 3), [
      "POOL            ID  PID  STATE     UPTIME  MEMORY   RESTARTS  LAST EXIT",
      "process:mailer  1   301  ready     2m10s   48.2 MB  2         crashed (SIGKILL)",
      "process:mailer  2   -    given-up  -       -        11        crashed (code 3)",
    ]);
  });

  test("heads with the supervisor's facts", () => {
    const lines = formatStatus(report).split("\n");
    assert.equal(lines[0], "supervisor pid 100  lsky 0.1.0  bun 1.4.5  memory 40.0 MB");
    assert.equal(lines[1], "listening 0.0.0.0:8000  app app.ts  up 1m05s");
    assert.equal(lines[2], "");
  });

  test("a node of a cluster says so under the listening line: Redis state, messages, drops", () => {
    const cluster = {
      node: "web-a", redis: "redis://:***@10.0.0.5:6379", state: "down" as const, linkDrops: 1, lastError: "connect ECONNREFUSED 10.0.0.5:6379",
      messagesIn: 12, messagesOut: 30, dropped: 4,
    };
    const lines = formatStatus({ ...report, cluster }).split("\n");
    assert.equal(lines[2], "cluster node web-a  redis down (connect ECONNREFUSED 10.0.0.5:6379) at redis://:***@10.0.0.5:6379  messages in 12 out 30  dropped 4  link drops 1");
    assert.equal(lines[3], "");
    const up = formatStatus({ ...report, cluster: { ...cluster, state: "up", lastError: "" } }).split("\n");
    assert.match(up[2]!, /^cluster node web-a  redis up at /);
  });

  test("aligns one row per worker under the column names", () => {
    const lines = formatStatus(report).split("\n");
    const header = lines[3]!;
    assert.match(header, /^ID +PID +STATE +UPTIME +REQUESTS +INFLIGHT +MEMORY +RESTARTS +LAST EXIT +WEBSOCKETS$/);
    const rows = lines.slice(4, 7);
    for (const column of ["PID", "STATE", "REQUESTS", "MEMORY", "LAST EXIT"]) {
      const at = header.indexOf(column);
      for (const row of rows) assert.notEqual(row[at - 1], undefined, `row reaches column ${column}`);
      for (const row of rows) assert.equal(row[at - 1], " ", `column ${column} starts at the same place in: ${row}`);
    }
    assert.match(rows[0]!, /^1 +201 +ready +1m04s +12345 +2 +50\.0 MB +0 +- +3 open, 10 in, 12 out, closed 1000:2$/);
    assert.match(rows[1]!, /^2 +202 +draining +5s +7 +0 +- +3 +crashed \(code 1\) +-$/);
    assert.match(rows[2]!, /^3 +203 +ready +1s +0 +0 +1\.0 MB +1 +unresponsive \(SIGKILL\) +-$/);
    assert.equal(lines[7], "", "ends with a newline");
    assert.equal(lines.length, 8);
  });

  test("no row has trailing spaces", () => {
    for (const line of formatStatus(report).split("\n")) assert.equal(line, line.trimEnd());
  });

  test("task workers get a POOL table and the queue a TASKS row; neither shows for a server without them", () => {
    const withTasks: StatusReport = {
      ...report,
      pools: [{ name: "task", workers: [{ id: 1, pid: 301, state: "ready", uptime: 5000, requests: 0, inflight: 0, rss: 0, restarts: 1, lastExit: { reason: "crashed", code: null, signal: "SIGKILL" } }] }],
      tasks: { workers: 1, queued: 2, delayed: 3, running: 1, done: 40, failed: 5, retried: 6, lost: 0 },
    };
    const text = formatStatus(withTasks);
    assert.match(text, /\nPOOL +ID +PID +STATE +UPTIME +MEMORY +RESTARTS +LAST EXIT\ntask +1 +301 +ready +5s +- +1 +crashed \(SIGKILL\)\n/);
    assert.match(text, /\nTASKS +WORKERS +QUEUED +DELAYED +RUNNING +DONE +FAILED +RETRIED +LOST\n +1 +2 +3 +1 +40 +5 +6 +0\n/);
    const none = formatStatus({ ...report, pools: [], tasks: { workers: 0, queued: 0, delayed: 0, running: 0, done: 0, failed: 0, retried: 0, lost: 0 } });
    assert.doesNotMatch(none, /POOL|TASKS/);
  });

  test("on a cluster the durable tasks get a DURABLE row under the TASKS row", () => {
    const durable = { dispatched: 7, claimed: 6, done: 4, failed: 1, retried: 2, returned: 1, givenBack: 0, running: 1, ready: 3, active: 2, delayed: 0 };
    const text = formatStatus({ ...report, tasks: { workers: 1, queued: 0, delayed: 0, running: 1, done: 0, failed: 0, retried: 0, lost: 0, durable } });
    assert.match(text, /\nDURABLE +DISPATCHED +CLAIMED +RUNNING +DONE +FAILED +RETRIED +RETURNED +GIVEN BACK +READY +ACTIVE +DELAYED\n +7 +6 +1 +4 +1 +2 +1 +0 +3 +2 +0(\n|$)/);
  });
});

test("formatServerList: one row per server with pid, port, directory, engine, workers and uptime", () => {
  const row = { version: "0.1.0", engineVersion: "1.4.5", host: "0.0.0.0", supervisor: { rss: 0, heapUsed: 0, collected: false } };
  const worker = { id: 1, pid: 1, state: "ready", uptime: 0, requests: 0, inflight: 0, rss: 0, restarts: 0, lastExit: null };
  const lines = formatServerList([
    { ...row, pid: 100, engine: "bun", app: "app.ts", cwd: "/srv/a", port: 8000, uptime: 65_000, workers: [worker, worker] },
    { ...row, pid: 2000, engine: "node", app: "(built-in app)", cwd: "/home/me", port: 0, host: "unix:/run/s.sock", uptime: 3_600_000, workers: [worker] },
  ]).split("\n");
  assert.match(lines[0]!, /^PID +PORT +DIRECTORY +APP +ENGINE +WORKERS +UPTIME +VERSION$/);
  assert.match(lines[1]!, /^100 +8000 +\/srv\/a +app\.ts +bun 1\.4\.5 +2 +1m05s +0\.1\.0$/);
  assert.match(lines[2]!, /^2000 +unix:\/run\/s\.sock +\/home\/me +\(built-in app\) +node 1\.4\.5 +1 +1h00m/);
  assert.match(lines.at(-2)!, /--port N or --pid PID/);
});

describe("formatStatus's WEBSOCKETS column", () => {
  const base = { id: 1, pid: 201, state: "ready", uptime: 1_000, requests: 0, inflight: 0, rss: 0, restarts: 0, lastExit: null };
  const report = (workers: StatusReport["workers"]): StatusReport => ({
    pid: 100, version: "0.1.0", engine: "node", engineVersion: "20", app: "app.ts", cwd: "/srv/app",
    host: "127.0.0.1", port: 8000, uptime: 1_000, supervisor: { rss: 0, heapUsed: 0, collected: false }, workers,
  });

  test("shows connections open, messages in and out, and closes by code", () => {
    const text = formatStatus(report([{
      ...base, websockets: { open: 3, opened: 6, messagesIn: 10, messagesOut: 12, overflows: 0, refused: 0, closesByCode: { 1000: 2, 1012: 1 } },
    }]));
    assert.match(text.split("\n")[4]!, / 3 open, 10 in, 12 out, closed 1000:2 1012:1$/);
  });

  test("leaves out closes before any, and shows a dash before the first heartbeat", () => {
    const text = formatStatus(report([
      { ...base, websockets: { open: 0, opened: 0, messagesIn: 0, messagesOut: 0, overflows: 0, refused: 0, closesByCode: {} } },
      { ...base, id: 2, pid: 202 },
    ]));
    const lines = text.split("\n");
    assert.match(lines[4]!, / 0 open, 0 in, 0 out$/);
    assert.match(lines[5]!, / -$/);
  });
});

describe("formatStatus with scheduled jobs", () => {
  const job = {
    name: "sweep", timing: "every 500ms", overlap: false, nextRun: "2030-01-01T00:00:01.500Z", lastRun: "2030-01-01T00:00:01.000Z",
    lastDurationMs: 12, lastResult: "failed" as const, lastError: "Error: disk full\n    at sweep (app.ts:3:9)", running: 0,
    runs: 7, failures: 1, skips: 2, missed: 0,
  };
  const report: StatusReport = {
    pid: 1, version: "0.1.0", engine: "node", engineVersion: "20", app: "app.ts", cwd: "/", host: "0.0.0.0", port: 8000, uptime: 0,
    supervisor: { rss: 0, heapUsed: 0, collected: false }, workers: [],
    schedule: [job, { ...job, name: "idle", timing: "cron 0 0 * * *", lastRun: null, lastDurationMs: null, lastResult: null, lastError: null, runs: 0, failures: 0, skips: 0 }],
  };

  test("adds one row per job after a blank line, the error on one line", () => {
    const lines = formatStatus(report).trimEnd().split("\n");
    const head = lines.findIndex((line) => line.startsWith("JOB"));
    assert.equal(lines[head - 1], "");
    assert.match(lines[head]!, /^JOB\s+TIMING\s+NEXT RUN\s+LAST RUN\s+LAST TOOK\s+LAST RESULT\s+RUNS\s+FAILURES\s+SKIPS\s+MISSED$/);
    assert.match(lines[head + 1]!, /^sweep\s+every 500ms\s+\d\d:\d\d:01\.500\s+\d\d:\d\d:01\.000\s+12 ms\s+failed: Error: disk full\s+7\s+1\s+2\s+0$/);
    assert.match(lines[head + 2]!, /^idle\s+cron 0 0 \* \* \*\s+\d\d:\d\d:01\.500\s+-\s+-\s+-\s+0\s+0\s+0\s+0$/);
  });

  test("a server without jobs shows no schedule table", () => {
    assert.doesNotMatch(formatStatus({ ...report, schedule: [] }), /JOB/);
  });

  test("on a cluster two columns say what the lock did", () => {
    const clustered = { ...report, schedule: [{ ...job, cluster: { elsewhere: 9, lockErrors: 3, locksLost: 0 } }] };
    const lines = formatStatus(clustered).trimEnd().split("\n");
    const head = lines.findIndex((line) => line.startsWith("JOB"));
    assert.match(lines[head]!, /SKIPS\s+MISSED\s+ELSEWHERE\s+LOCK ERRORS$/);
    assert.match(lines[head + 1]!, /\s7\s+1\s+2\s+0\s+9\s+3$/);
  });
});
