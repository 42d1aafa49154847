// Measures custom processes (docs/PROCESSES.md): the time from SIGKILL of a
// module process to its replacement's start(ctx) running again (restartDelay
// 100 ms included), and the memory of a module process as status reports it.
// Usage: node --import tsx scripts/process-restart.ts [node,bun,deno,binary] [rounds]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/harness/ports.ts";
import { targetsNamed } from "../test/harness/targets.ts";

const targets = targetsNamed(process.argv[2]);
const rounds = Number(process.argv[3] ?? 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

for (const target of targets) {
  const dir = mkdtempSync(join(tmpdir(), "lsky-process-restart-"));
  writeFileSync(join(dir, "app.mjs"), `export default { fetch: () => new Response("ok") };\n`);
  // The process prints its pid once start(ctx) runs: the moment it is ready again.
  writeFileSync(join(dir, "ticker.mjs"), `export default { start() { console.log("up " + process.pid); setInterval(() => {}, 1000); } };\n`);
  writeFileSync(join(dir, "lsky.config.mjs"), `export default { entry: "app.mjs", workers: 1, processes: { ticker: { module: "./ticker.mjs", restartDelay: "100ms", minUptime: "0s" } } };\n`);
  const port = await freePort();
  const child = spawn(target.command, [...target.args, "serve", "--port", String(port), "--host", "127.0.0.1"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
  const upSince = (from: number) => [...output.slice(from).matchAll(/\[ticker\] up (\d+)/g)].map((m) => Number(m[1])).at(-1);
  try {
    let pid = await until("the first start", () => upSince(0));
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const mark = output.length;
      const killed = performance.now();
      process.kill(pid, "SIGKILL");
      pid = await until("the restart", () => upSince(mark));
      times.push(performance.now() - killed);
    }
    const status = await new Promise<string>((resolve) => {
      const run = spawn(target.command, [...target.args, "status", "--json", "--port", String(port)], { stdio: ["ignore", "pipe", "ignore"] });
      let text = "";
      run.stdout.setEncoding("utf8").on("data", (s: string) => (text += s));
      run.once("close", () => resolve(text));
    });
    const row = (JSON.parse(status) as { pools: { name: string; workers: { rss: number }[] }[] }).pools.find((p) => p.name === "process:ticker")!.workers[0]!;
    console.log(`${target.name}: SIGKILL to start(ctx) again, median of ${rounds}: ${Math.round(median(times))} ms (min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}); module process RSS ${(row.rss / 1_048_576).toFixed(1)} MB`);
  } finally {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
