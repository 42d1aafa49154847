import { spawn } from "node:child_process";

/** What wrk counted in one run. */
export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  /** Every failure kind added up. */
  failures: number;
  output: string;
}

export interface WrkOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  threads?: number;
  /** Extra headers, e.g. "Connection: close" for a new connection per request. */
  headers?: string[];
  /** Run wrk through this command prefix (e.g. ["ip", "netns", "exec", "ns1"]). */
  prefix?: string[];
}

/**
 * Runs wrk (Debian package, installed by scripts/install-system-deps.sh)
 * against a loopback URL for a bounded time and parses its counters.
 */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [
    "-t", String(options.threads ?? 1), "-c", String(options.connections),
    "-d", `${options.durationSeconds}s`, "--timeout", "10s",
    ...(options.headers ?? []).flatMap((h) => ["-H", h]), options.url,
  ];
  const [command, ...prefixArgs] = [...(options.prefix ?? []), "wrk"];
  const child = spawn(command!, [...prefixArgs, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${output}`));
      resolve(parseWrk(output));
    });
  });
}

export function parseWrk(output: string): WrkResult {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const [connectErrors, readErrors, writeErrors, timeouts] = socket ? socket.slice(1).map(Number) : [0, 0, 0, 0];
  const non2xx = number(/Non-2xx or 3xx responses: (\d+)/);
  return {
    requests: number(/(\d+) requests in /),
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    non2xx,
    connectErrors: connectErrors!,
    readErrors: readErrors!,
    writeErrors: writeErrors!,
    timeouts: timeouts!,
    failures: non2xx + connectErrors! + readErrors! + writeErrors! + timeouts!,
    output,
  };
}
