import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./targets.ts";
import { waitFor } from "./wait.ts";

export interface KeepAliveResult {
  requests: number;
  ok: number;
  non2xx: number;
  /** Connections the clients opened, the first ones included. */
  connections: number;
  errors: Record<string, number>;
  /** Connection errors on a kept-alive connection, and on one opened for the request. */
  failedOn: { reused: number; fresh: number };
  samples: string[];
  failures: number;
}

export interface KeepAliveLoad {
  /** Live counts from the client's last progress line. */
  readonly progress: { ok: number; failed: number };
  /** Resolves once every client has had one answer. */
  readonly ready: Promise<void>;
  /** Waits until `more` further requests succeeded. */
  waitForSuccesses(more: number, timeoutMs?: number): Promise<void>;
  /** Ends the load and resolves with its counts. */
  stop(): Promise<KeepAliveResult>;
}

export interface KeepAliveOptions {
  url: string;
  clients: number;
  intervalMs: number;
  /** Safety bound: the client stops by itself after this long. */
  maxSeconds: number;
  /** Command prefix, e.g. a network namespace's `ip netns exec NAME`. */
  prefix?: string[];
}

/**
 * Starts test/harness/keepalive-client.mjs in a process of its own (10,000
 * sockets would starve the test runner's event loop), with its descriptor
 * limit raised to the hard limit.
 */
export function startKeepAliveLoad(options: KeepAliveOptions): KeepAliveLoad {
  const script = join(ROOT, "test", "harness", "keepalive-client.mjs");
  const raiseLimit = ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh"];
  const args = [options.url, String(options.clients), String(options.intervalMs), String(options.maxSeconds)];
  const [command, ...rest] = [...(options.prefix ?? []), ...raiseLimit, process.execPath, script, ...args];
  const child = spawn(command!, rest, { stdio: ["ignore", "pipe", "inherit"] });
  const progress = { ok: 0, failed: 0 };
  let isReady = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let final: KeepAliveResult | undefined;
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf("\n")) !== -1) {
      const line = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      if (line.type === "ready") (isReady = true), markReady();
      else if (line.type === "progress") Object.assign(progress, { ok: line.ok, failed: line.failed });
      else if (line.type === "done") final = summarise(line);
    }
  });
  const exited = new Promise<KeepAliveResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 && final ? resolve(final) : reject(new Error(`keep-alive client exited with ${code}`))));
  });
  exited.catch(() => {});
  return {
    progress,
    ready: Promise.race([ready, exited.then(() => {
      if (!isReady) throw new Error("keep-alive client ended before it was ready");
    })]),
    waitForSuccesses: async (more, timeoutMs = 60_000) => {
      const target = progress.ok + more;
      await waitFor(`${more} more successful keep-alive requests`, () => progress.ok >= target, timeoutMs);
    },
    stop: () => {
      // Through `ip netns exec` and `sh -c ... exec` it is the same process.
      child.kill("SIGTERM");
      return exited;
    },
  };
}

function summarise(line: Omit<KeepAliveResult, "failures">): KeepAliveResult {
  const errors = Object.values(line.errors).reduce((a, b) => a + b, 0);
  return { ...line, failures: line.non2xx + errors };
}
