// Measures --watch: the time from saving app.ts to the new code answering, and
// that writes lsky cannot reload on (its own redirected output, a database
// file) cause no reload. Every server runs at once, each in its own folder,
// and the saves are interleaved: round i saves each server's app in turn.
// Usage: node --import tsx scripts/watch-latency.ts [node,bun,deno,binary] [rounds]
// A name `target@DIR` runs that target from another build's dist folder
// (`node@/tmp/old/dist`), to compare builds in one run.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/harness/ports.ts";
import { type Target, targetsNamed } from "../test/harness/targets.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const app = (text: string) => `export default { fetch: () => new Response(${JSON.stringify(text)}) };\n`;

/** `bun` or `bun@/other/dist`: the target, run from that dist folder when one is given. */
function targetOf(name: string): Target & { label: string } {
  const [base, dist] = name.split("@");
  const target = targetsNamed(base)[0]!;
  if (!dist) return { ...target, label: name };
  const swap = (part: string) => part.replace(/.*\/dist\//, `${dist}/`);
  return { ...target, label: name, command: swap(target.command), args: target.args.map(swap) };
}

async function body(url: string): Promise<string | undefined> {
  try {
    return await (await fetch(url, { signal: AbortSignal.timeout(1000) })).text();
  } catch {
    return undefined;
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

interface Server {
  label: string;
  dir: string;
  url: string;
  child: ChildProcess;
  out: number;
  times: number[];
}

async function start(target: Target & { label: string }): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "lsky-watch-latency-"));
  writeFileSync(join(dir, "app.ts"), app("v0"));
  const port = await freePort();
  const out = openSync(join(dir, "out.log"), "w");
  // Each in its own folder: one live server per folder.
  const child = spawn(target.command, [...target.args, "serve", join(dir, "app.ts"), "--watch", "--workers", "1",
    "--host", "127.0.0.1", "--port", String(port)], { cwd: dir, stdio: ["ignore", out, out] });
  const server = { label: target.label, dir, url: `http://127.0.0.1:${port}/`, child, out, times: [] };
  await until(`${target.label} to serve`, async () => (await body(server.url)) === "v0");
  return server;
}

async function save(server: Server, round: number): Promise<void> {
  const saved = performance.now();
  writeFileSync(join(server.dir, "app.ts"), app(`v${round}`));
  await until(`v${round} on ${server.label}`, async () => (await body(server.url)) === `v${round}`);
  server.times.push(performance.now() - saved);
}

async function stop(server: Server): Promise<void> {
  server.child.kill("SIGTERM");
  if (server.child.exitCode === null) await new Promise((r) => server.child.once("exit", r));
  closeSync(server.out);
  rmSync(server.dir, { recursive: true, force: true });
}

function report(server: Server, rounds: number): string {
  const reloads = (readFileSync(join(server.dir, "out.log"), "utf8").match(/changed: reloading/g) ?? []).length;
  const times = [...server.times].sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return `${server.label}: save to served, median ${median.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms ` +
    `over ${rounds} saves; reloads logged ${reloads} (expected ${rounds})`;
}

const names = (process.argv[2] ?? "node,bun,deno,binary").split(",");
const rounds = Number(process.argv[3] ?? 10);
const servers: Server[] = [];
try {
  for (const name of names) servers.push(await start(targetOf(name)));
  for (let round = 1; round <= rounds; round++) {
    for (const server of servers) {
      await sleep(300); // let the previous reload's old worker exit
      await save(server, round);
    }
  }
  for (const server of servers) for (let i = 0; i < 20; i++) writeFileSync(join(server.dir, "app.sqlite"), `row ${i}\n`);
  await sleep(2000);
  for (const server of servers) console.log(report(server, rounds));
} finally {
  await Promise.all(servers.map(stop));
}
