import { Agent, request } from "node:http";
import { countConnections } from "./reset-bound.ts";

/**
 * A small load generator for the supervision tests: N concurrent clients on
 * keep-alive connections (a node:http Agent with keepAlive), each sending one
 * request after another until the count or time budget runs out or `stop()`
 * is called. It counts what a user would notice: successes, non-2xx answers
 * and connection errors. It always stops by itself.
 */
export interface LoadOptions {
  url: string;
  /** Concurrent clients (and at most this many sockets). */
  connections: number;
  /** Stop after this many requests in total (safety bound). */
  maxRequests: number;
  /** Stop after this long, in ms (safety bound). */
  maxDuration: number;
  /** Per-request timeout in ms; a timeout counts as a connection error. */
  requestTimeout?: number;
  /** false: a new connection per request (default true: keep-alive). */
  keepAlive?: boolean;
}

export interface LoadResult {
  sent: number;
  /** Connections the clients opened. */
  connections: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** The first few failures, for assertion messages. */
  samples: string[];
  /** Distinct values of the x-worker-pid response header seen, when the app sends it. */
  pids: Set<string>;
}

export interface LoadRun {
  /** Live counters (read them while the load runs). */
  readonly result: LoadResult;
  /** Asks every client to stop after its current request; resolves with the totals. */
  stop(): Promise<LoadResult>;
  /** Resolves when the load ended (budget spent or stopped). */
  readonly done: Promise<LoadResult>;
}

export function startLoad(options: LoadOptions): LoadRun {
  const agent = new Agent({ keepAlive: options.keepAlive ?? true, maxSockets: options.connections });
  const result: LoadResult = { sent: 0, connections: 0, ok: 0, non2xx: 0, errors: 0, samples: [], pids: new Set() };
  const opened = countConnections(agent);
  const deadline = Date.now() + options.maxDuration;
  let stopped = false;
  const more = () => !stopped && result.sent < options.maxRequests && Date.now() < deadline;
  const note = (text: string) => {
    if (result.samples.length < 10) result.samples.push(text);
  };

  const client = async () => {
    while (more()) {
      result.sent++;
      const outcome = await once(options.url, agent, options.requestTimeout ?? 10_000);
      result.connections = opened();
      if (outcome.error) {
        result.errors++;
        note(`error: ${outcome.error}`);
      } else if (outcome.status! >= 200 && outcome.status! < 300) {
        result.ok++;
        if (outcome.pid) result.pids.add(outcome.pid);
      } else {
        result.non2xx++;
        note(`status ${outcome.status}: ${outcome.body?.slice(0, 200)}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.connections }, client)).then(() => {
    agent.destroy();
    return result;
  });
  return {
    result,
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

interface Outcome {
  status?: number;
  body?: string;
  pid?: string;
  error?: string;
}

function once(url: string, agent: Agent, timeout: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body, pid: headerText(res.headers["x-worker-pid"]) }));
      res.on("error", (error) => resolve({ error: describe(error) }));
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.on("error", (error) => resolve({ error: describe(error) }));
    req.end();
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code} ${error.message}` : error.message;
}

/** Waits until the load has made `count` more successful requests (bounded by its own end). */
export async function waitForSuccesses(run: LoadRun, count: number, timeoutMs = 20_000): Promise<void> {
  const target = run.result.ok + count;
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void run.done.then(() => (ended = true));
  while (run.result.ok < target) {
    if (ended) throw new Error(`the load ended before ${count} more successes: ${JSON.stringify(summary(run.result))}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} more successes: ${JSON.stringify(summary(run.result))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function summary(result: LoadResult): Omit<LoadResult, "pids"> & { pids: number } {
  return { ...result, pids: result.pids.size };
}
