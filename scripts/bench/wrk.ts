// The one wrk runner and report parser of the bench harness.
import { spawn } from "node:child_process";

export interface LoadSettings {
  threads: number;
  connections: number;
  /** Seconds. */
  duration: number;
  /** Pin wrk to these CPUs with taskset, e.g. "1". */
  cpus?: string;
}

export interface LoadResult {
  rps: number;
  /** 99th percentile latency, milliseconds. */
  p99: number;
  p50: number;
  requests: number;
  /** Socket errors (connect, read, write, timeout) plus non-2xx/3xx responses. */
  errors: number;
}

/** The wrk command line for a run, as it is executed. */
export function wrkArgs(load: LoadSettings, url: string, headers: Record<string, string> = {}): string[] {
  const args = ["-t", String(load.threads), "-c", String(load.connections), "-d", `${load.duration}s`, "--latency"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  return [...args, url];
}

/** Runs wrk against a URL (with extra request headers) and parses its --latency report. */
export function runWrk(load: LoadSettings, url: string, headers?: Record<string, string>): Promise<LoadResult> {
  const args = wrkArgs(load, url, headers);
  const [command, argv] = load.cpus ? ["taskset", ["-c", load.cpus, "wrk", ...args]] : ["wrk", args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (out += s));
    // wrk stops itself after the duration; this only guards against a hang.
    const guard = setTimeout(() => child.kill("SIGKILL"), (load.duration + 30) * 1000);
    child.once("error", (error) => (clearTimeout(guard), reject(error)));
    // "close", not "exit": a child may exit before its output has all been
    // read, which once left a finished run with no report to parse.
    child.once("close", (code) => {
      clearTimeout(guard);
      if (code !== 0) return reject(new Error(`wrk ${args.join(" ")} exited with ${code}:\n${out}`));
      try {
        resolve(parseWrkOutput(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  const factor = UNIT_MS[unit];
  if (factor === undefined) throw new Error(`Unknown wrk latency unit "${unit}"`);
  return Number(value) * factor;
}

function percentile(text: string, pct: number): number {
  const match = new RegExp(`^\\s*${pct}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(text);
  if (!match) throw new Error(`wrk output has no ${pct}% latency line (was --latency given?):\n${text}`);
  return toMs(match[1]!, match[2]!);
}

/** Parses requests/s, p50/p99 latency and error counts from wrk's report. */
export function parseWrkOutput(text: string): LoadResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  if (!rps) throw new Error(`wrk output has no Requests/sec line:\n${text}`);
  const total = /^\s*(\d+) requests in /m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps: Number(rps[1]),
    p50: percentile(text, 50),
    p99: percentile(text, 99),
    requests: total ? Number(total[1]) : 0,
    errors: socketErrors + (non2xx ? Number(non2xx[1]) : 0),
  };
}
