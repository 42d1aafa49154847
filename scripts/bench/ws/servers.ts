// Starting the candidates of the WebSocket benchmark: lsky (dist/lsky.mjs
// serving test/fixtures/ws-app.ts) on an engine, or a raw engine server.
import { setTimeout as sleep } from "node:timers/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINE_RUN, type Engine, LSKY_BUNDLE, ROOT } from "../paths.ts";
import { freePort, startProcess, type Started, stopProcess } from "../processes.ts";

export interface Candidate {
  name: string;
  /** Processes that answer (lsky's workers), each seen once before a run starts. */
  processes: number;
  start(port: number): Started;
}

const HERE = join(ROOT, "scripts", "bench", "ws");
const FIXTURE = join(ROOT, "test", "fixtures", "ws-app.ts");
// The server gets CPU 0 (lsky's workers and supervisor share it with nothing
// but each other); the load client runs on CPU 1.
export const SERVER_CPUS = "0";
export const CLIENT_CPUS = "1";

/** `cpus`: where the server runs; by default CPU 0 for one worker, anywhere for more. */
export function lsky(engine: Engine, workers: number, extra: string[] = [], cpus = workers === 1 ? SERVER_CPUS : undefined): Candidate {
  const run = ENGINE_RUN[engine];
  return {
    name: `lsky ${engine} ${workers}w${extra.length ? ` ${extra.join(" ")}` : ""}${cpus && workers > 1 ? ` on CPU ${cpus}` : ""}`,
    processes: workers,
    // One worker shares the server's CPU with its supervisor; more workers run anywhere unless `cpus` pins them.
    start: (port) => startProcess(run.command, [...run.args, LSKY_BUNDLE, "serve", FIXTURE, "--workers", String(workers),
      "--host", "127.0.0.1", "--port", String(port), "--ws-max-connections", "5000", ...extra], { cpus, cwd: benchDirectory() }),
  };
}

export function raw(engine: Engine): Candidate {
  const script = { bun: "raw-bun.ts", deno: "raw-deno.ts", node: "raw-node.mjs" }[engine];
  const run = ENGINE_RUN[engine];
  return {
    name: `raw ${engine}`,
    processes: 1,
    start: (port) => startProcess(run.command, [...run.args, join(HERE, script), String(port)], { cpus: SERVER_CPUS }),
  };
}

const directories: string[] = [];
process.on("exit", () => directories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory of its own for each lsky: lsky refuses a second server in one directory (a test run, say). */
function benchDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-bench-ws-"));
  directories.push(dir);
  return dir;
}

/** Starts a candidate and waits until a WebSocket upgrade succeeds. */
export async function started(candidate: Candidate): Promise<{ server: Started; port: number }> {
  const port = await freePort();
  const server = candidate.start(port);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.done()) break;
    if (await answering(port, candidate.processes)) return { server, port };
    await sleep(100);
  }
  await stopProcess(server);
  throw new Error(`${candidate.name} did not start: ${server.output()}`);
}

/** True once `processes` different pids answered (lsky's /whoami; a raw server answers anything). */
async function answering(port: number, processes: number): Promise<boolean> {
  const pids = new Set<number>();
  for (let i = 0; i < processes * 20 && pids.size < processes; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/whoami`, { headers: { connection: "close" } });
      const text = await response.text();
      if (processes === 1) return true;
      pids.add((JSON.parse(text) as { pid: number }).pid);
    } catch {
      return false;
    }
  }
  return pids.size >= processes;
}
