// Measures start to first response: the time from spawning a server to its
// first 200 on "/", for `lsky serve APP --workers 1` (each target) beside a
// `bun build --compile` hello, interleaved, medians. Usage:
//   node --import tsx scripts/start-latency.ts [binary,bun,node,deno] [rounds]
// A name with a slash is a path to another lsky executable (to compare builds).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/harness/ports.ts";
import { ROOT, targetsNamed } from "../test/harness/targets.ts";

const names = (process.argv[2] ?? "binary").split(",");
const targets = [
  ...targetsNamed(names.filter((n) => !n.includes("/")).join(",") || "binary").filter((t) => names.includes(t.name) || !process.argv[2]),
  ...names.filter((n) => n.includes("/")).map((path) => ({ name: path, command: path, args: [] as string[] })),
];
const rounds = Number(process.argv[3] ?? 15);
const dir = mkdtempSync(join(tmpdir(), "lsky-start-latency-"));
const HELLO = 'export default { fetch: () => new Response("hello") };\n';
writeFileSync(join(dir, "app.ts"), HELLO);
writeFileSync(join(dir, "raw.ts"), `Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: () => new Response("hello") });\n`);
const compiled = spawnSync(join(ROOT, "node_modules", ".bin", "bun"), ["build", "--compile", join(dir, "raw.ts"), "--outfile", join(dir, "raw")]);
if (compiled.status !== 0) throw new Error(`bun build --compile failed: ${compiled.stderr}`);

/** Sends one request on a fresh connection; true on a 200. */
function answered(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.setEncoding("utf8");
    socket.once("connect", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    socket.on("data", (s: string) => (text += s));
    socket.once("error", () => resolve(false));
    socket.once("close", () => resolve(text.startsWith("HTTP/1.1 200")));
  });
}

async function timeToFirstResponse(command: string, args: (port: number) => string[]): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(command, args(port), { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: "ignore", detached: true });
  try {
    const deadline = started + 30_000;
    while (!(await answered(port))) {
      if (performance.now() > deadline) throw new Error(`${command} gave no answer within 30 s`);
      await pause();
    }
    return performance.now() - started;
  } finally {
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
}

/**
 * A short pause between attempts. Connecting again at once kept this process
 * busy for a whole core, and the host has two: a server that starts two
 * processes at once (lsky's supervisor and its first worker) then had one.
 */
const pause = () => new Promise((resolve) => setTimeout(resolve, 1));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const candidates = [
  { name: "bun build --compile hello", run: () => timeToFirstResponse(join(dir, "raw"), () => []) },
  ...targets.map((t) => ({
    name: `lsky serve (${t.name}) --workers 1`,
    run: () => timeToFirstResponse(t.command, (port) => [...t.args, "serve", "app.ts", "--workers", "1", "--host", "127.0.0.1", "--port", String(port)]),
  })),
];
const times = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const candidate of candidates) times.get(candidate.name)!.push(await candidate.run());
  }
  const base = median(times.get(candidates[0]!.name)!);
  for (const [name, values] of times) {
    const mid = median(values);
    console.log(`${name}: median ${mid.toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}), ${(mid / base).toFixed(2)}x the compiled hello, ${rounds} rounds`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
