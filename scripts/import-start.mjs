// Start time of a worker whose app imports "lsky": served by lsky itself (no
// lsky installed) against lsky installed in the app's node_modules (a link to
// this checkout, or to PACKAGE_DIR). Interleaves the two, prints medians.
// Usage: node scripts/import-start.mjs [runs] -- COMMAND...   e.g.
//   node scripts/import-start.mjs 7 -- node dist/lsky.mjs
//   node scripts/import-start.mjs 7 -- dist/lsky
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const split = process.argv.indexOf("--");
const runs = Number(process.argv[2] === "--" ? 7 : process.argv[2] ?? 7);
const [command, ...args] = process.argv.slice(split + 1).map((part, i) => (i === 0 && part.includes("/") ? resolve(part) : part));
if (split === -1 || !command) throw new Error("Usage: node scripts/import-start.mjs [runs] -- COMMAND...");
const withPaths = args.map((arg) => (arg.endsWith(".mjs") ? resolve(arg) : arg));

function appFolder(base, name, installed) {
  const dir = join(base, name);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(join(root, "node_modules", "hono"), join(dir, "node_modules", "hono"));
  if (installed) symlinkSync(process.env.PACKAGE_DIR ?? root, join(dir, "node_modules", "lsky"));
  copyFileSync(join(root, "test", "fixtures", "ws-hono.ts"), join(dir, "app.ts"));
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  return dir;
}

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function startToFirstAnswer(dir) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, [...withPaths, "serve", "app.ts", "-w", "1", "-p", String(port), "--host", "127.0.0.1"], { cwd: dir, stdio: "ignore" });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`lsky exited with ${child.exitCode} in ${dir}`);
      try {
        await (await fetch(`http://127.0.0.1:${port}/chat`)).text();
        return performance.now() - started;
      } catch {
        await new Promise((wake) => setTimeout(wake, 10));
      }
    }
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((done) => child.once("exit", done));
  }
}

const base = mkdtempSync(join(tmpdir(), "lsky-import-start-"));
try {
  const folders = { served: appFolder(base, "served", false), installed: appFolder(base, "installed", true) };
  const times = { served: [], installed: [] };
  for (let i = 0; i < runs; i++) for (const kind of ["served", "installed"]) times[kind].push(await startToFirstAnswer(folders[kind]));
  const median = (list) => list.sort((a, b) => a - b)[list.length >> 1];
  const [served, installed] = [median(times.served), median(times.installed)];
  console.log(`${[command, ...args].join(" ")}: served by lsky ${served.toFixed(0)} ms, installed ${installed.toFixed(0)} ms (medians of ${runs}); ratio ${(served / installed).toFixed(2)}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
