// Measures what the heartbeat watchdog sees while the host is overloaded: the
// worst event-loop lag each worker reports, and the supervisor's own stalls,
// while wrk drives thousands of connections at it from another process on
// the same (2-core) machine. Figures for docs/RELIABILITY.md.
// Usage: node --import tsx scripts/bench/watchdog-lag.ts [node|bun|deno|binary] [connections] [seconds]
// (the default --heartbeat-timeout; wrk, 2 threads, on loopback)
import { spawn } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../../test/harness/ports.ts";
import { ROOT, TARGETS } from "../../test/harness/targets.ts";
import { runWrk } from "./wrk.ts";

const [engine = "node", connections = "2000", seconds = "20"] = process.argv.slice(2);
const target = TARGETS.find((t) => t.name === engine)!;
const port = await freePort();
const adminPort = await freePort();
const child = spawn(target.command, [
  ...target.args, "serve", join(ROOT, "test", "fixtures", "hello.js"), "--workers", "2",
  "--port", String(port), "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`,
], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
let output = "";
child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));

async function metrics(): Promise<Map<string, number> | undefined> {
  const text = await fetch(`http://127.0.0.1:${adminPort}/metrics`).then((r) => r.text(), () => undefined);
  if (!text) return undefined;
  return new Map(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => {
    const at = l.lastIndexOf(" ");
    return [l.slice(0, at), Number(l.slice(at + 1))];
  }));
}

while (!(await metrics())) await new Promise((r) => setTimeout(r, 100));
let worstLag = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const m = await metrics();
    for (const [name, value] of m ?? []) if (name.startsWith("lsky_worker_event_loop_lag_seconds")) worstLag = Math.max(worstLag, value);
    await new Promise((r) => setTimeout(r, 250));
  }
})();
const load = await runWrk({ threads: 2, connections: Number(connections), duration: Number(seconds) }, `http://127.0.0.1:${port}/`);
sampling = false;
await sampler;
const end = await metrics();
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
console.log(JSON.stringify({
  engine, connections: Number(connections), seconds: Number(seconds), rps: load.rps, errors: load.errors,
  worstReportedLagMs: Math.round(worstLag * 1000),
  supervisorStalls: end?.get("lsky_supervisor_stalls_total"),
  unresponsiveKills: output.split("\n").filter((l) => /killing it/.test(l)).length,
  sparedAsOverloaded: end?.get("lsky_worker_overload_spared_total"),
}));
