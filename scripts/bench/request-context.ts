// The per-request cost of requestContext() (docs/HOOKS.md): one lsky worker
// serving a plain fetch app, with the AsyncLocalStorage run around every
// request (LSKY_REQUEST_CONTEXT=true) and without it, interleaved A B A B on
// loopback; prints the median requests/s of each and their ratio, and the
// CPU time the server's processes spent per request (from /proc, which a
// busy host disturbs far less than requests/s).
// Usage: node --import tsx scripts/bench/request-context.ts [engine=bun] [rounds=3] [seconds=5]
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/harness/ports.ts";
import { ROOT } from "../../test/harness/targets.ts";
import { waitFor } from "../../test/harness/wait.ts";
import { runWrk } from "./wrk.ts";
import { processStat } from "../../src/proc-stat.ts";

const [engine = "bun", rounds = "3", seconds = "5"] = process.argv.slice(2);
const BIN = join(ROOT, "node_modules", ".bin");
const BUNDLE = join(ROOT, "dist", "lsky.mjs");
const COMMANDS: Record<string, string[]> = {
  bun: [join(BIN, "bun"), BUNDLE],
  node: [process.execPath, BUNDLE],
  deno: [join(BIN, "deno"), "run", "-A", "--quiet", BUNDLE],
};

const dir = mkdtempSync(join(tmpdir(), "lsky-bench-rc-"));
const app = join(dir, "app.ts");
writeFileSync(app, 'export default { fetch: () => new Response("ok") };\n');

async function start(requestContext: boolean): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const args = ["serve", app, "--workers", "1", "--host", "127.0.0.1", "--port", String(port), "--static", "off"];
  const child = spawn(COMMANDS[engine]![0]!, [...COMMANDS[engine]!.slice(1), ...args], {
    cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LSKY_REQUEST_CONTEXT: String(requestContext) },
  });
  let output = "";
  child.stdout!.on("data", (s) => (output += s));
  child.stderr!.on("data", (s) => (output += s));
  await waitFor("lsky to start", () => /serving .* at http/.test(output), 60_000);
  return { url: `http://127.0.0.1:${port}/`, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  await exited;
}

/** User + system CPU seconds of every process in the group `pgid` (the supervisor and its workers). */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const stat = processStat(Number(pid));
    if (stat?.pgid === pgid) ticks += stat.cpuTicks;
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results: Record<"on" | "off", number[]> = { on: [], off: [] };
const cpu: Record<"on" | "off", number[]> = { on: [], off: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const mode of round % 2 === 0 ? ["off", "on"] as const : ["on", "off"] as const) {
    const server = await start(mode === "on");
    try {
      await runWrk({ threads: 1, connections: 32, duration: 1 }, server.url); // warm-up
      const before = groupCpuSeconds(server.child.pid!);
      const result = await runWrk({ threads: 1, connections: 32, duration: Number(seconds) }, server.url);
      const microsPerRequest = ((groupCpuSeconds(server.child.pid!) - before) * 1e6) / result.requests;
      results[mode].push(result.rps);
      cpu[mode].push(microsPerRequest);
      console.log(`round ${round + 1} ${mode}: ${Math.round(result.rps)} req/s, ${microsPerRequest.toFixed(1)} µs CPU/request, p99 ${result.p99} ms, errors ${result.errors}`);
    } finally {
      await stop(server.child);
    }
  }
}
const on = median(results.on);
const off = median(results.off);
console.log(`${engine}: median ${Math.round(off)} req/s without, ${Math.round(on)} with; ratio ${(on / off).toFixed(3)}`);
const [cpuOff, cpuOn] = [median(cpu.off), median(cpu.on)];
console.log(`${engine}: median CPU ${cpuOff.toFixed(1)} µs/request without, ${cpuOn.toFixed(1)} with; ratio ${(cpuOn / cpuOff).toFixed(3)}`);
