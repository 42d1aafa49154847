// Measures --watch: the time from saving app.ts to the new code answering, and
// that writes lsky cannot reload on (its own redirected output, a database
// file) cause no reload. Usage: node --import tsx scripts/watch-latency.ts [node,bun,deno,binary] [rounds]
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/harness/ports.ts";
import { targetsNamed } from "../test/harness/targets.ts";

const targets = targetsNamed(process.argv[2]);
const rounds = Number(process.argv[3] ?? 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const app = (text: string) => `export default { fetch: () => new Response(${JSON.stringify(text)}) };\n`;

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

for (const target of targets) {
  const dir = mkdtempSync(join(tmpdir(), "lsky-watch-latency-"));
  writeFileSync(join(dir, "app.ts"), app("v0"));
  const port = await freePort();
  const out = openSync(join(dir, "out.log"), "w");
  const child = spawn(target.command, [...target.args, "serve", join(dir, "app.ts"), "--watch", "--workers", "1",
    "--host", "127.0.0.1", "--port", String(port)], { stdio: ["ignore", out, out] });
  const url = `http://127.0.0.1:${port}/`;
  const reloads = () => (readFileSync(join(dir, "out.log"), "utf8").match(/changed: reloading/g) ?? []).length;
  try {
    await until("the server", async () => (await body(url)) === "v0");
    const times: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      await sleep(300); // let the previous reload's old worker exit
      const saved = performance.now();
      writeFileSync(join(dir, "app.ts"), app(`v${i}`));
      await until(`v${i}`, async () => (await body(url)) === `v${i}`);
      times.push(performance.now() - saved);
    }
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, "app.sqlite"), `row ${i}\n`);
    await sleep(2000);
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`${target.name}: save to served, median ${median.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms ` +
      `over ${rounds} saves; reloads logged ${reloads()} (expected ${rounds})`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}
