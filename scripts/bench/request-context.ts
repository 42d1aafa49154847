// The per-request cost of requestContext() (docs/HOOKS.md): one lsky worker
// serving a plain fetch app, with the AsyncLocalStorage run around every
// request (LSKY_REQUEST_CONTEXT=true) and without it, interleaved A B A B on
// loopback; prints the median requests/s of each and their ratio.
// Usage: node --import tsx scripts/bench/request-context.ts [engine=bun] [rounds=3] [seconds=5]
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/harness/ports.ts";
import { ROOT } from "../../test/harness/targets.ts";
import { waitFor } from "../../test/harness/wait.ts";
import { runWrk } from "./wrk.ts";

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results: Record<"on" | "off", number[]> = { on: [], off: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const mode of round % 2 === 0 ? ["off", "on"] as const : ["on", "off"] as const) {
    const server = await start(mode === "on");
    try {
      await runWrk({ threads: 1, connections: 32, duration: 1 }, server.url); // warm-up
      const result = await runWrk({ threads: 1, connections: 32, duration: Number(seconds) }, server.url);
      results[mode].push(result.rps);
      console.log(`round ${round + 1} ${mode}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, errors ${result.errors}`);
    } finally {
      await stop(server.child);
    }
  }
}
const on = median(results.on);
const off = median(results.off);
console.log(`${engine}: median ${Math.round(off)} req/s without, ${Math.round(on)} with; ratio ${(on / off).toFixed(3)} (cost ${((1 - on / off) * 100).toFixed(1)}%)`);
