import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { after, test } from "node:test";
import { type Exit, killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { residentBytes } from "./harness/proc.ts";
import { allReady, statusJson, waitForStatus } from "./harness/supervision.ts";
import { fixture, ROOT, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

const started = new Set<ChildProcess>();
after(() => {
  killAll();
  for (const child of started) killGroup(child);
});

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** `lsky serve` with stdout and stderr wired as the test says (a file, a pipe it never reads). */
function spawnWithOutput(target: Target, args: string[], stdio: Array<"pipe" | number>): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(target.command, [...target.args, "serve", ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", ...stdio],
    detached: true,
  });
  started.add(child);
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

/** Waits for the control socket (it opens once every worker is ready, after the port answers). */
async function serving(target: Target, port: number): Promise<void> {
  await waitForStatus(target, port, "two ready workers", (status) => allReady(status, 2));
}

/** Makes the workers write `count` lines of `length` bytes each, through the supervisor's output. */
async function workersWrite(url: string, count: number, length: number): Promise<void> {
  const response = await fetch(`${url}/lines?n=${count}&len=${length}`);
  assert.equal(response.status, 200);
  await response.text();
}

// The long lines the workers write in the stuck-stdout case (24 x 1,000), less
// what the 1 MB queue and the pipe can hold (about a hundred 10 kB lines).
const ALL_BUT_BUFFERED = 24_000 - 1_000;

/** lsky_log_lines_dropped_total from the admin listener. */
async function droppedLines(admin: string): Promise<number> {
  const text = await (await fetch(`${admin}/metrics`)).text();
  return Number(/^lsky_log_lines_dropped_total (\d+)$/m.exec(text)?.[1] ?? 0);
}

/** Serving, reloading and answering status all still work (the output is broken or stuck). */
async function stillWorks(target: Target, port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 5; i++) await workersWrite(url, 20, 100);
  const reload = await runLsky(target, ["reload", "--port", String(port)]);
  assert.equal(reload.code, 0, reload.stderr);
  assert.ok(allReady(await statusJson(target, port), 2));
  assert.equal((await fetch(`${url}/`)).status, 200);
}

describeTargets("the supervisor's own output", { binaryStandsForBun: true }, (target) => {
  test("the reader of its stdout and stderr exits (EPIPE): it keeps serving, reloading and answering status", async () => {
    const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2"]);
    // What `lsky serve | head -1` does once it has its line.
    server.child.stdout!.destroy();
    server.child.stderr!.destroy();
    await stillWorks(target, server.port);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("stdout and stderr on a full disk (ENOSPC, /dev/full): it keeps serving, reloading and answering status", async () => {
    const port = await freePort();
    const full = openSync("/dev/full", "w");
    const { child, exited } = spawnWithOutput(target, [fixture("supervised.ts"), "--workers", "2", "--port", String(port)], [full, full]);
    closeSync(full);
    await serving(target, port);
    await stillWorks(target, port);
    child.kill("SIGTERM");
    assert.deepEqual(await exited, { code: 0, signal: null });
  });

  test("a stdout nobody reads: the supervisor still answers, its memory stays bounded, and it says how many lines it dropped", async () => {
    const port = await freePort();
    const adminPort = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = [fixture("supervised.ts"), "--workers", "2", "--port", String(port), "--log-buffer", "1mb", "--admin", `127.0.0.1:${adminPort}`];
    const { child, exited } = spawnWithOutput(target, args, ["pipe", "pipe"]);
    // stdout is never read until the end: the pipe fills and stays full.
    child.stdout!.pause();
    child.stderr!.resume();
    await serving(target, port);
    await workersWrite(url, 100, 1000); // fills the pipe
    const before = residentBytes(child.pid!);
    // 240 MB of worker output against a 1 MB queue (before the queue, Bun's
    // supervisor grew by about as much as it was given; Deno's froze).
    for (let i = 0; i < 24; i++) await workersWrite(url, 1000, 10_000);
    // A worker's writes to its pipe return before the supervisor read them
    // (Node and Bun buffer them in the worker), so the requests end while
    // most of the output is still on its way: wait until the supervisor has
    // taken it all, dropping what its stuck stdout could not hold, rather
    // than read stdout again before anything was dropped.
    const dropped = await waitFor("the supervisor to drop the output its stdout cannot take", async () => {
      const count = await droppedLines(`http://127.0.0.1:${adminPort}`);
      return count >= ALL_BUT_BUFFERED ? count : undefined;
    }, 120_000, 100);
    const status = await statusJson(target, port);
    assert.ok(allReady(status, 2), "status answers while stdout is stuck");
    const grown = residentBytes(child.pid!) - before;
    process.stdout.write(`# figure ${target.name} supervisor memory growth with 240 MB of output to a stuck stdout: ${Math.round(grown / 1_048_576)} MB (${dropped} lines dropped)\n`);
    // Garbage collection is lazy (Bun's most): the bound leaves room for it, not for the output.
    assert.ok(grown < 128 * 1_048_576, `the supervisor grew by ${grown} bytes`);

    let text = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.stdout!.resume();
    const match = await waitFor("the drop notice", () => /\[lsky\] warning: (\d+) log lines dropped/.exec(text) ?? undefined, 20_000)
      .finally(() => child.kill("SIGKILL"));
    assert.ok(Number(match[1]) > 0);
    await exited;
  });

  test("every worker's last lines (written as it exits) are in the output after lsky stop", async () => {
    const server = await startLsky(target, [fixture("goodbye.ts"), "--workers", "3"]);
    const status = await waitForStatus(target, server.port, "three ready workers", (s) => allReady(s, 3));
    const result = await runLsky(target, ["stop", "--port", String(server.port)]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await waitFor("the supervisor's output to close", () => server.child.stdout!.closed && server.child.stderr!.closed);
    for (const worker of status.workers) {
      assert.match(server.stderr(), new RegExp(`\\[w${worker.id}\\] bye from ${worker.pid}\\n`), `worker ${worker.id}'s goodbye`);
    }
    assert.match(server.stdout(), /\[lsky\] stopped\n$/, "lsky's own last line comes after the workers' output");
  });
});
