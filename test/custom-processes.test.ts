// Custom processes (docs/PROCESSES.md): a module process and a command
// process started with the server, restarted with backoff, reloaded by their
// mode, given up on without stopping the server, stopped with it, and shown
// in status and /metrics; a bad `processes` entry fails with exit code 2.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { childrenOf, type StatusJson, statusJson, waitForStatus } from "./harness/supervision.ts";
import type { Target } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { tempDir } from "./harness/temp-dir.ts";

// Custom processes lead process groups of their own, out of reach of the
// harness's group kill: every pid a test saw is killed here by its pid.
const seen = new Set<number>();
after(() => {
  killAll();
  for (const pid of seen) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone, as it should be.
    }
  }
});

type ProcessRow = StatusJson["workers"][number];
type StatusWithPools = StatusJson & { pools?: { name: string; workers: ProcessRow[] }[] };

// A scheduled job too: a custom process that becomes ready must not replace the workers' schedule.
const APP = `export default { fetch: () => new Response("app ok"), schedule: [{ name: "beat", every: "1s", run() {} }] };\n`;

const TICKER = `
let timer;
export default {
  start(ctx) {
    console.log(\`ticker \${ctx.instance} started\`);
    timer = setInterval(() => ctx.bus.publish("tick", Date.now()), 200);
  },
  reload(ctx) { console.log("ticker reloaded"); },
  async stop(ctx) {
    clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.log("ticker stopped cleanly");
  },
};
`;

// The app has a task and reads what the process below wrote. It is slow to
// load, so the process's task is submitted before any HTTP worker has said
// that the app has tasks.
const APP_WITH_TASKS = `import { cache, table } from "lsky";
await new Promise((resolve) => setTimeout(resolve, 2000));
export default {
  tasks: { double: (n) => n * 2 },
  async fetch() { return Response.json({ row: await table("results").get("answer"), cached: await cache.get("note") }); },
};
`;

// Its start(ctx) runs before the first HTTP worker said the app has tasks:
// with --task-workers auto the task waits for the task worker to come.
const USES_FACILITIES = `export default {
  async start(ctx) {
    const n = await ctx.tasks.run("double", 21);
    await ctx.table("results").set("answer", { n });
    await ctx.cache.set("note", "from the process");
    console.log(\`done \${n}\`);
  },
};
`;

// Lists the sockets above stderr that the shell holds, then stays up.
const FD_LISTER = `cd /proc/$$/fd
for fd in *; do
  if [ "$fd" -gt 2 ]; then
    case "$(readlink "$fd")" in socket:*) echo "holds socket $fd $(readlink "$fd")" ;; esac
  fi
done
echo "descriptors listed"
exec sleep 600
`;

function project(name: string, config: string, files: Record<string, string> = {}): string {
  const dir = tempDir(`lsky-processes-${name}-`);
  writeFileSync(join(dir, "app.mjs"), APP);
  writeFileSync(join(dir, "lsky.config.mjs"), `export default ${config};\n`);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function rows(status: StatusJson, name: string): ProcessRow[] {
  return (status as StatusWithPools).pools?.find((pool) => pool.name === `process:${name}`)?.workers ?? [];
}

function readyRow(status: StatusJson, name: string): ProcessRow | undefined {
  const found = rows(status, name);
  const row = found.length === 1 && found[0]!.state === "ready" ? found[0] : undefined;
  if (row) seen.add(row.pid);
  return row;
}

/** The process in `name`'s row is replaced after a SIGKILL; returns the new row. */
async function killAndWaitForRestart(target: Target, server: LskyProcess, name: string, restarts: number): Promise<ProcessRow> {
  const victim = readyRow(await statusJson(target, server.port), name)!;
  process.kill(victim.pid, "SIGKILL");
  const status = await waitForStatus(target, server.port, `${name} restarted (${restarts})`, (s) => {
    const row = readyRow(s, name);
    return !!row && row.pid !== victim.pid && row.restarts === restarts;
  });
  const row = readyRow(status, name)!;
  assert.deepEqual(row.lastExit, { reason: "crashed", code: null, signal: "SIGKILL" });
  return row;
}

async function assertServes(server: LskyProcess): Promise<void> {
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "app ok");
}

describeTargets("custom processes", { binaryStandsForBun: true }, (target) => {
  test("a module process runs a task and writes the shared table and cache through ctx", async () => {
    const cwd = project("facilities", `{
      entry: "app.mjs",
      tables: { results: { size: 4, columns: { n: "int" } } },
      processes: { user: { module: "./user.mjs" } },
    }`, { "app.mjs": APP_WITH_TASKS, "user.mjs": USES_FACILITIES });
    const server = await startLsky(target, ["--workers", "1", "--host", "127.0.0.1"], { cwd });
    try {
      await server.waitForOutput(/\[user\] done 42/);
      const response = await fetch(`${server.url}/`);
      assert.deepEqual(await response.json(), { row: { n: 42 }, cached: "from the process" });
      assert.doesNotMatch(server.output(), /TASK_NO_WORKERS|no task workers|restarting/, "the first start(ctx) got its task");
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("a module and a command process: started, restarted with backoff after SIGKILL, reloaded by their mode, stopped with the server", async () => {
    const cwd = project("run", `{
      entry: "app.mjs",
      processes: {
        ticker: { module: "./ticker.mjs", restartDelay: "100ms", minUptime: "5m", reload: "signal" },
        legacy: { command: ["sh", "-c", "echo legacy $LSKY_PROCESS_INSTANCE up; exec sleep 600"], restartDelay: "100ms", minUptime: "5m" },
      },
    }`, { "ticker.mjs": TICKER });
    const adminPort = await freePort();
    const server = await startLsky(target, ["--workers", "1", "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`], { cwd });
    await server.waitForOutput(/\[ticker\] ticker 1 started/);
    await server.waitForOutput(/\[legacy\] legacy 1 up/);
    const first = await waitForStatus(target, server.port, "both processes ready", (s) => !!readyRow(s, "ticker") && !!readyRow(s, "legacy"));
    assert.equal(readyRow(first, "ticker")!.restarts, 0);
    await assertServes(server);

    // Twice in a row within minUptime: the second restart waits twice as long.
    await killAndWaitForRestart(target, server, "ticker", 1);
    await killAndWaitForRestart(target, server, "ticker", 2);
    assert.match(server.output(), /process "ticker" \(pid \d+\) crashed with signal SIGKILL; restarting in 100 ms/);
    assert.match(server.output(), /process "ticker" \(pid \d+\) crashed with signal SIGKILL; restarting in 200 ms/);
    const schedule = (await statusJson(target, server.port) as StatusJson & { schedule: { name: string }[] }).schedule;
    assert.deepEqual(schedule.map((job) => job.name), ["beat"], "the HTTP workers' schedule outlives a process's restarts");
    await killAndWaitForRestart(target, server, "legacy", 1);
    await server.waitForOutput(/\[legacy\] legacy 1 up[\s\S]*\[legacy\] legacy 1 up/);
    await assertServes(server);

    // reload: "signal" keeps the ticker's process and calls its reload(); the default ("restart") replaces legacy.
    const before = await statusJson(target, server.port);
    const reloaded = await runLsky(target, ["reload", "--port", String(server.port)]);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    await server.waitForOutput(/\[ticker\] ticker reloaded/);
    const afterReload = await waitForStatus(target, server.port, "legacy replaced by the reload", (s) =>
      readyRow(s, "legacy")?.pid !== undefined && readyRow(s, "legacy")!.pid !== readyRow(before, "legacy")!.pid);
    assert.equal(readyRow(afterReload, "ticker")!.pid, readyRow(before, "ticker")!.pid);

    const table = await runLsky(target, ["status", "--port", String(server.port)]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /POOL\s+ID\s+PID\s+STATE\s+UPTIME\s+MEMORY\s+RESTARTS\s+LAST EXIT/);
    assert.match(table.stdout, /\nprocess:ticker\s+1\s+\d+\s+ready\s+\S+\s+\S+( MB)?\s+2\s+crashed \(SIGKILL\)\n/);
    const metrics = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
    assert.match(metrics, /\nlsky_process_up\{process="ticker"\} 1\n/);
    assert.match(metrics, /\nlsky_process_restarts_total\{process="ticker"\} 2\n/);
    assert.match(metrics, /\nlsky_process_given_up\{process="legacy"\} 0\n/);

    // Stopped with the server: every process it ran, and what the command started, is gone.
    const last = await statusJson(target, server.port);
    const pids = [readyRow(last, "ticker")!.pid, readyRow(last, "legacy")!.pid];
    const grandchildren = childrenOf(pids[1]!).map((child) => child.pid);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    assert.match(server.output(), /\[ticker\] ticker stopped cleanly/);
    for (const pid of [...pids, ...grandchildren]) await waitFor(`process ${pid} gone`, () => processGone(pid), 10_000);
  });

  test("a process that keeps failing is given up on while HTTP keeps serving", async () => {
    const cwd = project("fail", `{
      entry: "app.mjs",
      processes: {
        broken: { command: ["sh", "-c", "echo broken starting; exit 3"], restartDelay: "50ms", maxRestarts: 2, minUptime: "1m" },
        throws: { module: "./throws.mjs", restartDelay: "50ms", maxRestarts: 1 },
        stubborn: { command: ["sh", "-c", "trap '' TERM; echo stubborn up; while :; do sleep 0.1; done"], stopTimeout: "500ms" },
      },
    }`, { "throws.mjs": `export default { start() { throw new Error("no mail server"); } };\n` });
    const server = await startLsky(target, ["--workers", "2", "--host", "127.0.0.1"], { cwd });
    await server.waitForOutput(/process "broken" given up: it crashed with code 3 3 times in a row/);
    await server.waitForOutput(/process "throws" given up: .*no mail server/);
    const status = await waitForStatus(target, server.port, "both given up, HTTP ready", (s) =>
      rows(s, "broken")[0]?.state === "given-up" && rows(s, "throws")[0]?.state === "given-up" && s.workers.filter((w) => w.state === "ready").length === 2);
    assert.deepEqual(rows(status, "broken").map((r) => [r.pid, r.restarts, r.lastExit]), [[0, 3, { reason: "crashed", code: 3, signal: null }]]);
    assert.equal(rows(status, "throws")[0]!.lastExit?.reason, "boot-failed");
    assert.equal((server.output().match(/\[broken\] broken starting/g) ?? []).length, 3);
    await assertServes(server);
    assert.equal(server.child.exitCode, null);
    // It ignores its stop signal: SIGKILL at stopTimeout, to its whole group (the shell's sleeps too).
    await server.waitForOutput(/\[stubborn\] stubborn up/);
    const stubborn = readyRow(await statusJson(target, server.port), "stubborn")!.pid;
    const group = [stubborn, ...childrenOf(stubborn).map((child) => child.pid)];
    group.forEach((pid) => seen.add(pid));
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    for (const pid of group) await waitFor(`process ${pid} gone`, () => processGone(pid), 10_000);
  });

  test("a command process holds none of the supervisor's sockets, only its standard streams", async () => {
    // Deno's node:net opens the supervisor's bus and control sockets without
    // close-on-exec; the supervisor marks them before it spawns (src/runtime/close-on-exec.ts).
    const cwd = project("fds", `{ entry: "app.mjs", processes: { fds: { command: ["sh", "fds.sh"] } } }`, { "fds.sh": FD_LISTER });
    const server = await startLsky(target, ["--workers", "2", "--host", "127.0.0.1"], { cwd });
    await server.waitForOutput(/\[fds\] descriptors listed/);
    // Seen ready, its pid is killed after the tests whatever happens.
    await waitForStatus(target, server.port, "the lister ready", (s) => readyRow(s, "fds") !== undefined);
    assert.doesNotMatch(server.output(), /holds socket/);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("a bad processes entry fails with exit code 2 and names what is wrong", async () => {
    const cases: Array<[string, RegExp]> = [
      [`{ processes: { mailer: { module: "./m.mjs", command: ["true"] } } }`, /Invalid process "mailer" in lsky\.config\.mjs: give exactly one of "module" and "command"/],
      [`{ processes: { mailer: { module: "./m.mjs", instances: 0 } } }`, /Invalid value 0 for "processes\.mailer\.instances" in lsky\.config\.mjs: expected a whole number from 1 to 64/],
      [`{ processes: { mailer: { command: "python3 legacy.py" } } }`, /Invalid value "python3 legacy\.py" for "processes\.mailer\.command"/],
      [`{ processes: { mailer: { module: "./m.mjs", stopSignl: "SIGINT" } } }`, /Unknown key "processes\.mailer\.stopSignl" in lsky\.config\.mjs: did you mean "stopSignal"\?/],
      [`{ processes: { mailer: { module: "./m.mjs", reload: "sometimes" } } }`, /Invalid value "sometimes" for "processes\.mailer\.reload".*"restart", "signal", "none"/],
    ];
    for (const [config, message] of cases) {
      const cwd = project("bad", config);
      const result = await runLsky(target, ["serve", "app.mjs", "--port", String(await freePort())], { cwd });
      assert.equal(result.code, 2, `${config}\n${result.stdout}${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
