import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { Redis } from "ioredis";
import { freePort } from "./ports.ts";
import { waitFor } from "./wait.ts";

/** A real redis-server of the test's own, on a free loopback port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** Sends a command (inline form) and resolves with the raw reply. */
  command(line: string): Promise<string>;
  /** Kills the server with SIGKILL (a crash) and waits for its exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();

/** Kills every redis-server a test started (for after hooks). */
export function killAllRedis(): void {
  for (const child of started) child.kill("SIGKILL");
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "lsky-redis-"));
  let child = await launch(port, dir);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid!;
    },
    command: (line) => redisCommand(port, line),
    kill: () => killAndWait(child),
    restart: async () => {
      await killAndWait(child);
      child = await launch(port, dir);
    },
    stop: async () => {
      await killAndWait(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  // No persistence: a restart starts empty, as after a crash without a dump.
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  child.once("exit", () => started.delete(child));
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
  await waitFor(`redis-server on port ${port} to answer PING (${output.slice(-300)})`, async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
    return (await redisCommand(port, "PING")).startsWith("+PONG");
  }, 20_000);
  return child;
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  return exited;
}

/** One inline command on a fresh connection; the first reply line(s) as sent. */
function redisCommand(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let reply = "";
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${line}\r\n`));
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (replyComplete(reply)) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on("error", reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no reply to ${line}`)));
  });
}

/** Enough of RESP for the tests' commands: simple replies, integers, one bulk string. */
function replyComplete(reply: string): boolean {
  if (!reply.includes("\r\n")) return false;
  if (reply[0] !== "$") return true;
  const length = Number(reply.slice(1, reply.indexOf("\r\n")));
  return length < 0 || reply.length >= reply.indexOf("\r\n") + 2 + length + 2;
}

/** True when redis-server is on the PATH (scripts/install-system-deps.sh installs it). */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * For a `describe` block of unit tests against a real redis-server: starts
 * one before the block with an ioredis client on it, and stops both after.
 * Read `server` and `redis` inside the tests (they exist once `before` ran).
 */
export function useRedisServer(): { readonly server: RedisServer; readonly redis: Redis } {
  const held: { server?: RedisServer; redis?: Redis } = {};
  before(async () => {
    held.server = await startRedis();
    held.redis = new Redis(held.server.url, { maxRetriesPerRequest: 0 });
  });
  after(async () => {
    held.redis?.disconnect();
    await held.server?.stop();
    killAllRedis();
  });
  return {
    get server() {
      return held.server!;
    },
    get redis() {
      return held.redis!;
    },
  };
}
